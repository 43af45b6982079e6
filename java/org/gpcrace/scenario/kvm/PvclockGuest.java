package org.gpcrace.scenario.kvm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.GuestMemory;
import org.gpcrace.bridge.Linux;
import org.gpcrace.sys.kvm.Kvm;
import org.gpcrace.sys.kvm.KvmApi;
import org.gpcrace.sys.kvm.KvmVcpu;
import org.gpcrace.sys.kvm.KvmVm;

/**
 * The smallest guest with a live GPC: one memslot over private anonymous memory, one real-mode
 * vCPU whose code is {@code hlt; jmp $-1} (every KVM_RUN enters, halts, returns KVM_EXIT_HLT),
 * and kvmclock enabled at the pvclock page: MSR_KVM_SYSTEM_TIME_NEW = gpa | 1 activates the vCPU's
 * pv_time gfn-to-pfn cache. The code page and the pvclock page are distinct, so invalidating the
 * pvclock page never takes the guest's code away. close() releases everything, in reverse order.
 */
public final class PvclockGuest implements AutoCloseable {
    public static final long CODE_GFN = 0;
    /** The page KVM writes through the GPC. */
    public static final long PVCLOCK_GFN = 1;
    /** A page of the same memslot that no GPC covers (the madvise baseline). */
    public static final long PLAIN_GFN = 2;
    static final long PAGES = 4;
    /** hlt; jmp back to the hlt (EB FD: jmp -3 from the end of the jmp). */
    private static final byte[] CODE = {(byte) 0xf4, (byte) 0xeb, (byte) 0xfd};

    private static final VarHandle VERSION = Layouts.PVCLOCK_VCPU_TIME_INFO.varHandle(groupElement("version"));
    private static final VarHandle SYSTEM_TIME = Layouts.PVCLOCK_VCPU_TIME_INFO.varHandle(groupElement("system_time"));
    private static final VarHandle MUL = Layouts.PVCLOCK_VCPU_TIME_INFO.varHandle(groupElement("tsc_to_system_mul"));
    private static final VarHandle FLAGS = Layouts.PVCLOCK_VCPU_TIME_INFO.varHandle(groupElement("flags"));

    private final Kvm kvm;
    private final KvmVm vm;
    private final GuestMemory memory;
    private final KvmVcpu vcpu;
    private final MemorySegment pvclock;
    private boolean closed;

    private PvclockGuest(Kvm kvm, KvmVm vm, GuestMemory memory, KvmVcpu vcpu) {
        this.kvm = kvm;
        this.vm = vm;
        this.memory = memory;
        this.vcpu = vcpu;
        this.pvclock = memory.segment().asSlice(PVCLOCK_GFN * Linux.PAGE_SIZE, Layouts.PVCLOCK_VCPU_TIME_INFO);
    }

    /** Opens /dev/kvm (KvmUnavailableException when it cannot be used) and builds the guest. */
    public static PvclockGuest create(NativeBridge bridge) {
        Kvm kvm = Kvm.open(bridge);
        KvmVm vm = null;
        GuestMemory mem = null;
        try {
            vm = kvm.createVm();
            mem = GuestMemory.map(bridge, Backing.ANON, PAGES);
            MemorySegment code = mem.segment().asSlice(CODE_GFN * Linux.PAGE_SIZE, CODE.length);
            for (int i = 0; i < CODE.length; i++) code.set(JAVA_BYTE, i, CODE[i]);
            vm.setMemoryRegion(0, 0, mem.bytes(), mem.base());
            KvmVcpu vcpu = vm.createVcpu(0);
            vcpu.enterRealMode(CODE_GFN * Linux.PAGE_SIZE);
            vcpu.setMsr(KvmApi.MSR_KVM_SYSTEM_TIME_NEW, PVCLOCK_GFN * Linux.PAGE_SIZE | 1);
            return new PvclockGuest(kvm, vm, mem, vcpu);
        } catch (RuntimeException | Error e) {
            closeAll(e, vm, mem, kvm);
            throw e;
        }
    }

    private static void closeAll(Throwable primary, AutoCloseable... cs) {
        for (AutoCloseable c : cs) {
            if (c == null) continue;
            try {
                c.close();
            } catch (Exception e) {
                primary.addSuppressed(e);
            }
        }
    }

    public KvmVm vm() { return vm; }
    public KvmVcpu vcpu() { return vcpu; }
    public GuestMemory memory() { return memory; }
    public NativeBridge bridge() { return memory.bridge(); }
    public long pvclockAddress() { return memory.addressOf(PVCLOCK_GFN); }
    public long plainAddress() { return memory.addressOf(PLAIN_GFN); }

    /** Zeroes the whole pvclock structure: a write KVM then has to redo, through the GPC. */
    public void zeroPvclock() { pvclock.fill((byte) 0); }

    public int pvclockVersion() { return (int) VERSION.get(pvclock, 0L); }
    public long pvclockSystemTime() { return (long) SYSTEM_TIME.get(pvclock, 0L); }
    public int pvclockMul() { return (int) MUL.get(pvclock, 0L); }
    public int pvclockFlags() { return (byte) FLAGS.get(pvclock, 0L) & 0xff; }

    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        RuntimeException first = null;
        for (AutoCloseable c : new AutoCloseable[] {vm, memory, kvm}) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }
}
