package org.gpcrace.bridge.jna;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.gpcrace.bridge.KernelNative;
import org.gpcrace.bridge.NativeBridge;

/** JNA implementation of {@link KernelNative}: same helper functions, same results as FFM. */
final class JnaKernel implements KernelNative {
    private final NativeBridge bridge;

    JnaKernel(NativeBridge bridge) { this.bridge = bridge; }

    @Override public int[] pipe() {
        try (Memory fds = new Memory(8)) {
            KernelNative.check(bridge, LibGpcrace.gpcrace_pin_pipe(Pointer.nativeValue(fds)), "pipe2(O_CLOEXEC)");
            return new int[] {fds.getInt(0), fds.getInt(4)};
        }
    }

    @Override public long vmsplice(int pipeWriteFd, long addr, long len) {
        return KernelNative.check(bridge, LibGpcrace.gpcrace_pin_vmsplice(pipeWriteFd, addr, len),
                "vmsplice(fd=" + pipeWriteFd + ", " + JnaBridge.hex(addr) + ", " + len + ")");
    }

    @Override public void uringOpen(long uring, int entries) {
        KernelNative.check(bridge, LibGpcrace.gpcrace_pin_uring_open(uring, entries), "io_uring_setup(" + entries + ")");
    }

    @Override public void uringRegister(long uring, long addr, long len) {
        KernelNative.check(bridge, LibGpcrace.gpcrace_pin_uring_register(uring, addr, len),
                "io_uring_register(IORING_REGISTER_BUFFERS, " + JnaBridge.hex(addr) + ", " + len + ")");
    }

    @Override public void uringUnregister(long uring) {
        KernelNative.check(bridge, LibGpcrace.gpcrace_pin_uring_unregister(uring), "io_uring_register(IORING_UNREGISTER_BUFFERS)");
    }

    @Override public long uringWriteFixed(long uring, int fd, long addr, long len, long offset) {
        return KernelNative.check(bridge, LibGpcrace.gpcrace_pin_uring_write_fixed(uring, fd, addr, len, offset),
                "IORING_OP_WRITE_FIXED(fd=" + fd + ", " + JnaBridge.hex(addr) + ", " + len + ")");
    }

    @Override public void uringClose(long uring) {
        KernelNative.check(bridge, LibGpcrace.gpcrace_pin_uring_close(uring), "io_uring close");
    }

    @Override public void storm(long storm) {
        KernelNative.check(bridge, LibGpcrace.gpcrace_kvm_storm(storm), "storm madvise");
    }

    @Override public long forkCow(long addr) {
        return KernelNative.check(bridge, LibGpcrace.gpcrace_kvm_fork_cow(addr), "fork + COW write");
    }

    @Override public void kickInstall(int sig) {
        KernelNative.check(bridge, LibGpcrace.gpcrace_kvm_kick_install(sig), "sigaction(" + sig + ")");
    }

    @Override public void kick(int tid, int sig) {
        KernelNative.check(bridge, LibGpcrace.gpcrace_kvm_kick(tid, sig), "tgkill(" + tid + ", " + sig + ")");
    }

    @Override public int gettid() { return LibGpcrace.gpcrace_gettid(); }

    @Override public void fairnessInit(long fairness) { LibGpcrace.gpcrace_fairness_init(fairness); }

    @Override public void fairnessInvalidator(long fairness, int index) {
        KernelNative.check(bridge, LibGpcrace.gpcrace_fairness_invalidator(fairness, index), "fairness invalidator " + index);
    }

    @Override public long fairnessUpdater(long fairness, long waits, long n, long budgetNs) {
        return KernelNative.check(bridge, LibGpcrace.gpcrace_fairness_updater(fairness, waits, n, budgetNs), "fairness updater");
    }

    @Override public long pressureRun(long config, long rounds, long chain, long chainLen, long err, long errLen) {
        return LibGpcrace.gpcrace_gpc_pressure_run(config, rounds, chain, chainLen, err, errLen);
    }

    @Override public int faultReaderRun(long config, long result) { return LibGpcrace.gpcrace_fr_run(config, result); }
}
