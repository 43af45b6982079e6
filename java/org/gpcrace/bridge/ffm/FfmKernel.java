package org.gpcrace.bridge.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import org.gpcrace.bridge.KernelNative;
import org.gpcrace.bridge.NativeBridge;

/** FFM implementation of {@link KernelNative}. Nothing here is critical: every call can block. */
final class FfmKernel implements KernelNative {
    private static final Ffm.Downcall PIPE = Ffm.helper("gpcrace_pin_pipe", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final Ffm.Downcall VMSPLICE = Ffm.helper("gpcrace_pin_vmsplice",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall URING_OPEN = Ffm.helper("gpcrace_pin_uring_open", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final Ffm.Downcall URING_REGISTER = Ffm.helper("gpcrace_pin_uring_register",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall URING_UNREGISTER = Ffm.helper("gpcrace_pin_uring_unregister", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final Ffm.Downcall URING_WRITE_FIXED = Ffm.helper("gpcrace_pin_uring_write_fixed",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall URING_CLOSE = Ffm.helper("gpcrace_pin_uring_close", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final Ffm.Downcall STORM = Ffm.helper("gpcrace_kvm_storm", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final Ffm.Downcall FORK_COW = Ffm.helper("gpcrace_kvm_fork_cow", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall KICK_INSTALL = Ffm.helper("gpcrace_kvm_kick_install", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final Ffm.Downcall KICK = Ffm.helper("gpcrace_kvm_kick", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final Ffm.Downcall GETTID = Ffm.helper("gpcrace_gettid", FunctionDescriptor.of(JAVA_INT));

    private static final Ffm.Downcall FAIRNESS_INIT = Ffm.helper("gpcrace_fairness_init", FunctionDescriptor.ofVoid(JAVA_LONG));
    private static final Ffm.Downcall FAIRNESS_INVALIDATOR = Ffm.helper("gpcrace_fairness_invalidator",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final Ffm.Downcall FAIRNESS_UPDATER = Ffm.helper("gpcrace_fairness_updater",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));

    private static final Ffm.Downcall PRESSURE_RUN = Ffm.helper("gpcrace_gpc_pressure_run",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall FR_RUN = Ffm.helper("gpcrace_fr_run", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));

    private final NativeBridge bridge;

    FfmKernel(NativeBridge bridge) { this.bridge = bridge; }

    @Override public int[] pipe() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            KernelNative.check(bridge, (int) PIPE.get().invokeExact(fds.address()), "pipe2(O_CLOEXEC)");
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public long vmsplice(int pipeWriteFd, long addr, long len) {
        long r;
        try { r = (long) VMSPLICE.get().invokeExact(pipeWriteFd, addr, len); } catch (Throwable t) { throw Ffm.rethrow(t); }
        return KernelNative.check(bridge, r, "vmsplice(fd=" + pipeWriteFd + ", " + Ffm.hex(addr) + ", " + len + ")");
    }

    @Override public void uringOpen(long uring, int entries) {
        int r;
        try { r = (int) URING_OPEN.get().invokeExact(uring, entries); } catch (Throwable t) { throw Ffm.rethrow(t); }
        KernelNative.check(bridge, r, "io_uring_setup(" + entries + ")");
    }

    @Override public void uringRegister(long uring, long addr, long len) {
        int r;
        try { r = (int) URING_REGISTER.get().invokeExact(uring, addr, len); } catch (Throwable t) { throw Ffm.rethrow(t); }
        KernelNative.check(bridge, r, "io_uring_register(IORING_REGISTER_BUFFERS, " + Ffm.hex(addr) + ", " + len + ")");
    }

    @Override public void uringUnregister(long uring) {
        int r;
        try { r = (int) URING_UNREGISTER.get().invokeExact(uring); } catch (Throwable t) { throw Ffm.rethrow(t); }
        KernelNative.check(bridge, r, "io_uring_register(IORING_UNREGISTER_BUFFERS)");
    }

    @Override public long uringWriteFixed(long uring, int fd, long addr, long len, long offset) {
        long r;
        try { r = (long) URING_WRITE_FIXED.get().invokeExact(uring, fd, addr, len, offset); } catch (Throwable t) { throw Ffm.rethrow(t); }
        return KernelNative.check(bridge, r, "IORING_OP_WRITE_FIXED(fd=" + fd + ", " + Ffm.hex(addr) + ", " + len + ")");
    }

    @Override public void uringClose(long uring) {
        int r;
        try { r = (int) URING_CLOSE.get().invokeExact(uring); } catch (Throwable t) { throw Ffm.rethrow(t); }
        KernelNative.check(bridge, r, "io_uring close");
    }

    @Override public void storm(long storm) {
        int r;
        try { r = (int) STORM.get().invokeExact(storm); } catch (Throwable t) { throw Ffm.rethrow(t); }
        KernelNative.check(bridge, r, "storm madvise");
    }

    @Override public long forkCow(long addr) {
        long r;
        try { r = (long) FORK_COW.get().invokeExact(addr); } catch (Throwable t) { throw Ffm.rethrow(t); }
        return KernelNative.check(bridge, r, "fork + COW write");
    }

    @Override public void kickInstall(int sig) {
        int r;
        try { r = (int) KICK_INSTALL.get().invokeExact(sig); } catch (Throwable t) { throw Ffm.rethrow(t); }
        KernelNative.check(bridge, r, "sigaction(" + sig + ")");
    }

    @Override public void kick(int tid, int sig) {
        int r;
        try { r = (int) KICK.get().invokeExact(tid, sig); } catch (Throwable t) { throw Ffm.rethrow(t); }
        KernelNative.check(bridge, r, "tgkill(" + tid + ", " + sig + ")");
    }

    @Override public int gettid() {
        try { return (int) GETTID.get().invokeExact(); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public void fairnessInit(long fairness) {
        try { FAIRNESS_INIT.get().invokeExact(fairness); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public void fairnessInvalidator(long fairness, int index) {
        int r;
        try { r = (int) FAIRNESS_INVALIDATOR.get().invokeExact(fairness, index); } catch (Throwable t) { throw Ffm.rethrow(t); }
        KernelNative.check(bridge, r, "fairness invalidator " + index);
    }

    @Override public long fairnessUpdater(long fairness, long waits, long n, long budgetNs) {
        long r;
        try { r = (long) FAIRNESS_UPDATER.get().invokeExact(fairness, waits, n, budgetNs); } catch (Throwable t) { throw Ffm.rethrow(t); }
        return KernelNative.check(bridge, r, "fairness updater");
    }

    @Override public long pressureRun(long config, long rounds, long chain, long chainLen, long err, long errLen) {
        try { return (long) PRESSURE_RUN.get().invokeExact(config, rounds, chain, chainLen, err, errLen); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public int faultReaderRun(long config, long result) {
        try { return (int) FR_RUN.get().invokeExact(config, result); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }
}
