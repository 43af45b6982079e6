package org.gpcrace.sys.kvm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.NativeCallException;
import org.gpcrace.bridge.Linux;

/**
 * A vCPU: its fd and its mmapped kvm_run. run() is KVM_RUN and returns kvm_run.exit_reason;
 * it allocates nothing, so the timed loop measures the ioctl. close() unmaps, then closes.
 */
public final class KvmVcpu implements AutoCloseable {
    private static final VarHandle EXIT_REASON = Layouts.KVM_RUN.varHandle(groupElement("exit_reason"));
    private static final VarHandle RIP = Layouts.KVM_REGS.varHandle(groupElement("rip"));
    private static final VarHandle RFLAGS = Layouts.KVM_REGS.varHandle(groupElement("rflags"));
    private static final VarHandle CS_BASE = Layouts.KVM_SREGS.varHandle(groupElement("cs"), groupElement("base"));
    private static final VarHandle CS_SELECTOR = Layouts.KVM_SREGS.varHandle(groupElement("cs"), groupElement("selector"));
    private static final VarHandle CR0 = Layouts.KVM_SREGS.varHandle(groupElement("cr0"));
    private static final VarHandle NMSRS = Layouts.KVM_MSRS.varHandle(groupElement("nmsrs"));
    private static final VarHandle MSR_INDEX = Layouts.KVM_MSR_ENTRY.varHandle(groupElement("index"));
    private static final VarHandle MSR_DATA = Layouts.KVM_MSR_ENTRY.varHandle(groupElement("data"));
    private static final int EINTR = 4;

    private final NativeBridge bridge;
    private final int fd;
    private final long runAddr;
    private final long runSize;
    private final MemorySegment run;
    private long interruptedRuns;
    private boolean closed;

    KvmVcpu(NativeBridge bridge, int fd, int mmapSize) {
        if (mmapSize < Layouts.KVM_RUN.byteSize()) {
            throw new IllegalStateException("KVM_GET_VCPU_MMAP_SIZE " + mmapSize + " < sizeof(struct kvm_run) " + Layouts.KVM_RUN.byteSize());
        }
        this.bridge = bridge;
        this.fd = fd;
        this.runSize = mmapSize;
        this.runAddr = bridge.mmap(0, mmapSize, Linux.PROT_RW, Linux.MAP_SHARED, fd, 0);
        this.run = MemorySegment.ofAddress(runAddr).reinterpret(Layouts.KVM_RUN.byteSize());
    }

    public int fd() { return fd; }

    /**
     * Real mode at CS:IP = 0:rip (the reset state has CS base 0xffff0000), rflags with only the
     * reserved bit 1 set: interrupts off, so the guest's hlt waits for nothing and exits.
     */
    public void enterRealMode(long rip) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sregs = a.allocate(Layouts.KVM_SREGS);
            bridge.ioctl(fd, KvmApi.KVM_GET_SREGS, sregs.address());
            if (((long) CR0.get(sregs, 0L) & 1) != 0) throw new IllegalStateException("vCPU reset state is not real mode (CR0.PE set)");
            CS_BASE.set(sregs, 0L, 0L);
            CS_SELECTOR.set(sregs, 0L, (short) 0);
            bridge.ioctl(fd, KvmApi.KVM_SET_SREGS, sregs.address());
            MemorySegment regs = a.allocate(Layouts.KVM_REGS);
            RIP.set(regs, 0L, rip);
            RFLAGS.set(regs, 0L, 2L);
            bridge.ioctl(fd, KvmApi.KVM_SET_REGS, regs.address());
        }
    }

    /** KVM_SET_MSRS of one MSR; KVM returns how many it accepted, which must be 1. */
    public void setMsr(int index, long data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment msrs = a.allocate(Layouts.KVM_MSRS.byteSize() + Layouts.KVM_MSR_ENTRY.byteSize(), 8);
            NMSRS.set(msrs, 0L, 1);
            MemorySegment e = msrs.asSlice(Layouts.KVM_MSRS.byteSize(), Layouts.KVM_MSR_ENTRY);
            MSR_INDEX.set(e, 0L, index);
            MSR_DATA.set(e, 0L, data);
            long n = bridge.ioctl(fd, KvmApi.KVM_SET_MSRS, msrs.address());
            if (n != 1) {
                throw new IllegalStateException("KVM_SET_MSRS(0x" + Integer.toHexString(index) + " = 0x" + Long.toHexString(data)
                        + ") refused: " + n + " of 1 MSRs set");
            }
        }
    }

    /** KVM_KVMCLOCK_CTRL: raises KVM_REQ_CLOCK_UPDATE, so the next entry rewrites the pvclock page. */
    public void kvmclockCtrl() { bridge.ioctl(fd, KvmApi.KVM_KVMCLOCK_CTRL, 0); }

    /** KVM_RUN until it returns an exit (a signal's EINTR is retried and counted). */
    public int run() {
        while (true) {
            try {
                bridge.ioctl(fd, KvmApi.KVM_RUN, 0);
                return (int) EXIT_REASON.get(run, 0L);
            } catch (NativeCallException e) {
                if (e.errno() != EINTR) throw e;
                interruptedRuns++;
            }
        }
    }

    /**
     * One KVM_RUN: the exit reason, or {@link KvmApi#KVM_EXIT_INTR} when a signal ended it (EINTR),
     * so a thread halted inside KVM can be brought back to userspace by a kick.
     */
    public int runOnce() {
        try {
            bridge.ioctl(fd, KvmApi.KVM_RUN, 0);
            return (int) EXIT_REASON.get(run, 0L);
        } catch (NativeCallException e) {
            if (e.errno() != EINTR) throw e;
            return KvmApi.KVM_EXIT_INTR;
        }
    }

    /** KVM_SET_MP_STATE (an in-kernel irqchip's vCPU): RUNNABLE lets a halted vCPU go on with its code. */
    public void setMpState(int state) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(4, 4);
            s.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, state);
            bridge.ioctl(fd, KvmApi.KVM_SET_MP_STATE, s.address());
        }
    }

    /** KVM_RUN calls that a signal interrupted (retried). */
    public long interruptedRuns() { return interruptedRuns; }

    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            bridge.munmap(runAddr, runSize);
        } finally {
            bridge.close(fd);
        }
    }
}
