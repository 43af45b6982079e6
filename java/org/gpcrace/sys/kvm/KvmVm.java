package org.gpcrace.sys.kvm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.bridge.NativeBridge;

/**
 * A VM file descriptor: memslots, vCPUs, the VM clock. close() closes its vCPUs, then the VM.
 * The clock buffer is shared: call the clock methods from one thread at a time.
 */
public final class KvmVm implements AutoCloseable {
    private static final VarHandle SLOT = Layouts.KVM_USERSPACE_MEMORY_REGION.varHandle(groupElement("slot"));
    private static final VarHandle FLAGS = Layouts.KVM_USERSPACE_MEMORY_REGION.varHandle(groupElement("flags"));
    private static final VarHandle GPA = Layouts.KVM_USERSPACE_MEMORY_REGION.varHandle(groupElement("guest_phys_addr"));
    private static final VarHandle SIZE = Layouts.KVM_USERSPACE_MEMORY_REGION.varHandle(groupElement("memory_size"));
    private static final VarHandle HVA = Layouts.KVM_USERSPACE_MEMORY_REGION.varHandle(groupElement("userspace_addr"));
    private static final VarHandle CLOCK = Layouts.KVM_CLOCK_DATA.varHandle(groupElement("clock"));
    private static final VarHandle CLOCK_FLAGS = Layouts.KVM_CLOCK_DATA.varHandle(groupElement("flags"));

    private final Kvm kvm;
    private final NativeBridge bridge;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment clock = arena.allocate(Layouts.KVM_CLOCK_DATA);
    private final List<KvmVcpu> vcpus = new ArrayList<>();
    private boolean closed;

    KvmVm(Kvm kvm, int fd) {
        this.kvm = kvm;
        this.bridge = kvm.bridge();
        this.fd = fd;
    }

    public int fd() { return fd; }

    /** A buffer for {@link #setMemoryRegion(MemorySegment, int, long, long, long)}, owned by the caller's arena. */
    public static MemorySegment regionBuffer(Arena arena) { return arena.allocate(Layouts.KVM_USERSPACE_MEMORY_REGION); }

    /** KVM_SET_USER_MEMORY_REGION; size 0 deletes the slot. Allocates nothing: the caller owns {@code buf}. */
    public void setMemoryRegion(MemorySegment buf, int slot, long gpa, long size, long hva) {
        SLOT.set(buf, 0L, slot);
        FLAGS.set(buf, 0L, 0);
        GPA.set(buf, 0L, gpa);
        SIZE.set(buf, 0L, size);
        HVA.set(buf, 0L, hva);
        bridge.ioctl(fd, KvmApi.KVM_SET_USER_MEMORY_REGION, buf.address());
    }

    public void setMemoryRegion(int slot, long gpa, long size, long hva) {
        try (Arena a = Arena.ofConfined()) {
            setMemoryRegion(regionBuffer(a), slot, gpa, size, hva);
        }
    }

    /** KVM_CREATE_IRQCHIP: the in-kernel PIC/IOAPIC/LAPIC, so a guest hlt blocks inside KVM_RUN instead of exiting. Before any vCPU. */
    public void createIrqchip() { bridge.ioctl(fd, KvmApi.KVM_CREATE_IRQCHIP, 0); }

    /** KVM_CREATE_VCPU plus the kvm_run mapping. */
    public synchronized KvmVcpu createVcpu(int id) {
        int vcpuFd = (int) bridge.ioctl(fd, KvmApi.KVM_CREATE_VCPU, id);
        KvmVcpu v;
        try {
            v = new KvmVcpu(bridge, vcpuFd, kvm.vcpuMmapSize());
        } catch (RuntimeException e) {
            bridge.close(vcpuFd);
            throw e;
        }
        vcpus.add(v);
        return v;
    }

    /** KVM_GET_CLOCK: the VM's kvmclock in ns. */
    public long getClock() {
        clock.fill((byte) 0);
        bridge.ioctl(fd, KvmApi.KVM_GET_CLOCK, clock.address());
        return (long) CLOCK.get(clock, 0L);
    }

    /** KVM_SET_CLOCK to {@code ns}: also makes every vCPU rewrite its pvclock page on the next entry. */
    public void setClock(long ns) {
        clock.fill((byte) 0);
        CLOCK.set(clock, 0L, ns);
        CLOCK_FLAGS.set(clock, 0L, 0);
        bridge.ioctl(fd, KvmApi.KVM_SET_CLOCK, clock.address());
    }

    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        RuntimeException first = null;
        for (KvmVcpu v : vcpus) {
            try {
                v.close();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        try {
            bridge.close(fd);
        } catch (RuntimeException e) {
            if (first == null) first = e;
        }
        arena.close();
        if (first != null) throw first;
    }
}
