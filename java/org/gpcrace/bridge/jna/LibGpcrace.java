package org.gpcrace.bridge.jna;

import com.sun.jna.Native;
import org.gpcrace.bridge.NativeLibrary;

/**
 * libgpcrace.so as seen by JNA; one method per function of native/include/gpcrace.h used here.
 * Direct mapping (static natives bound by Native.register): about half the per-call cost of an
 * interface proxy (73 vs 157 ns for a no-op on the development VM).
 */
public final class LibGpcrace {
    static {
        Native.register(LibGpcrace.class, NativeLibrary.path().toString());
    }

    private LibGpcrace() {}

    // core
    public static native String gpcrace_version();
    public static native int gpcrace_abi_version();
    public static native String gpcrace_abi_text();
    public static native String gpcrace_errno_name(int err);
    public static native long gpcrace_noop(long x);

    // ---- sync / gpc
    public static native int gpcrace_gpc_protocol_index(String id);
    public static native int gpcrace_gpc_protocol_count();
    public static native String gpcrace_gpc_protocol_id(int index);
    public static native String gpcrace_gpc_source_name(int source);
    public static native int gpcrace_gpc_source_preserves_content(int source, int backing);
    public static native long gpcrace_gpc_round_bytes(int readers);
    public static native int gpcrace_gpc_create(long config, long out, long err, long errlen);
    public static native int gpcrace_gpc_set_delay_range(long run, long minNs, long maxNs);
    public static native int gpcrace_gpc_arm_batch(long run, long rounds, long buf, int mode);
    public static native int gpcrace_gpc_run_batch(long run);
    public static native long gpcrace_gpc_batch_done(long run);
    public static native int gpcrace_gpc_actor_cpu(long run, int actor);
    public static native String gpcrace_gpc_last_error(long run);
    public static native void gpcrace_gpc_abort(long run);
    public static native void gpcrace_gpc_destroy(long run);
    public static native int gpcrace_gpc_inv_begin(long run);
    public static native int gpcrace_gpc_inv_notify_start(long run);
    public static native int gpcrace_gpc_inv_finish(long run, int zapErrno);
    public static native long gpcrace_gpc_inv_addr(long run);
    public static native long gpcrace_gpc_inv_len(long run);

    // ---- probe
    public static native long gpcrace_probe_tsc_calibrate(long windowNs);
    public static native int gpcrace_probe_clock_use(long tscHz);
    public static native long gpcrace_probe_clock_now_ns();
    public static native int gpcrace_probe_has_rdtscp();
    public static native long gpcrace_probe_run(int probe, long cfg, long samples, long n, long out);
    public static native int gpcrace_probe_series(int probe);
    public static native String gpcrace_probe_name(int probe);
    public static native String gpcrace_probe_call_name(int call);
    public static native long gpcrace_probe_plain_dontneed(long addr, long n, int cpu);

    // ---- kernel
    public static native int gpcrace_pin_pipe(long fds);
    public static native long gpcrace_pin_vmsplice(int pipeWr, long addr, long len);
    public static native int gpcrace_pin_uring_open(long uring, int entries);
    public static native int gpcrace_pin_uring_register(long uring, long addr, long len);
    public static native int gpcrace_pin_uring_unregister(long uring);
    public static native long gpcrace_pin_uring_write_fixed(long uring, int fd, long addr, long len, long offset);
    public static native int gpcrace_pin_uring_close(long uring);
    public static native int gpcrace_kvm_storm(long storm);
    public static native long gpcrace_kvm_fork_cow(long addr);
    public static native int gpcrace_kvm_kick_install(int sig);
    public static native int gpcrace_kvm_kick(int tid, int sig);
    public static native int gpcrace_gettid();
    public static native void gpcrace_fairness_init(long fairness);
    public static native int gpcrace_fairness_invalidator(long fairness, int index);
    public static native long gpcrace_fairness_updater(long fairness, long waits, long n, long budgetNs);

    // fault
    public static native int gpcrace_fr_run(long config, long result);
    public static native long gpcrace_gpc_pressure_run(long config, long rounds, long chain, long chainLen, long err, long errLen);
}
