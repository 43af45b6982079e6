package org.gpcrace.bridge.jna;

import com.sun.jna.Library;

/** libgpcrace.so as seen by JNA; one method per function of native/include/gpcrace.h used here. */
public interface LibGpcrace extends Library {
    // core
    String gpcrace_version();
    int gpcrace_abi_version();
    String gpcrace_errno_name(int err);
    long gpcrace_noop(long x);
    int gpcrace_abi_struct_count();
    String gpcrace_abi_struct_name(int s);
    long gpcrace_abi_struct_size(int s);
    int gpcrace_abi_field_count(int s);
    String gpcrace_abi_field_name(int s, int f);
    long gpcrace_abi_field_offset(int s, int f);
    long gpcrace_abi_field_size(int s, int f);

    // ---- sync / gpc
    int gpcrace_gpc_protocol_index(String id);
    int gpcrace_gpc_protocol_count();
    String gpcrace_gpc_protocol_id(int index);
    String gpcrace_gpc_source_name(int source);
    int gpcrace_gpc_source_preserves_content(int source, int backing);
    long gpcrace_gpc_round_bytes(int readers);
    int gpcrace_gpc_create(long config, long out, long err, long errlen);
    int gpcrace_gpc_set_delay_range(long run, long minNs, long maxNs);
    int gpcrace_gpc_arm_batch(long run, long rounds, long buf, int mode);
    int gpcrace_gpc_run_batch(long run);
    long gpcrace_gpc_batch_done(long run);
    int gpcrace_gpc_actor_cpu(long run, int actor);
    String gpcrace_gpc_last_error(long run);
    void gpcrace_gpc_abort(long run);
    void gpcrace_gpc_destroy(long run);
    int gpcrace_gpc_inv_begin(long run);
    int gpcrace_gpc_inv_notify_start(long run);
    int gpcrace_gpc_inv_finish(long run, int zapErrno);
    long gpcrace_gpc_inv_addr(long run);
    long gpcrace_gpc_inv_len(long run);

    // ---- probe
    long gpcrace_probe_tsc_calibrate(long windowNs);
    int gpcrace_probe_clock_use(long tscHz);
    long gpcrace_probe_clock_now_ns();
    int gpcrace_probe_has_rdtscp();
    long gpcrace_probe_run(int probe, long cfg, long samples, long n, long out);
    int gpcrace_probe_series(int probe);
    String gpcrace_probe_name(int probe);
    String gpcrace_probe_call_name(int call);
    long gpcrace_probe_plain_dontneed(long addr, long n, int cpu);

    // ---- kernel
    int gpcrace_pin_pipe(long fds);
    long gpcrace_pin_vmsplice(int pipeWr, long addr, long len);
    int gpcrace_pin_uring_open(long uring, int entries);
    int gpcrace_pin_uring_register(long uring, long addr, long len);
    int gpcrace_pin_uring_unregister(long uring);
    long gpcrace_pin_uring_write_fixed(long uring, int fd, long addr, long len, long offset);
    int gpcrace_pin_uring_close(long uring);
    int gpcrace_kvm_storm(long storm);
    void gpcrace_fairness_init(long fairness);
    int gpcrace_fairness_invalidator(long fairness, int index);
    long gpcrace_fairness_updater(long fairness, long waits, long n, long budgetNs);
}
