package org.gpcrace.scenario.kvm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.HdrHistogram.Histogram;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.Linux;
import org.gpcrace.sys.kvm.KvmVm;

/**
 * --memslot-updates: the third actor creates and deletes a second memslot in a loop
 * (KVM_SET_USER_MEMORY_REGION), timing each call. Both end in kvm_swap_active_memslots(), which
 * waits until mn_active_invalidate_count is zero: under an invalidation stream that wait is the
 * unfair one of
 * the thread "KVM: Don't take mmu_lock for range invalidation unless necessary" (kvm list, April 2021). Owns the slot's backing range.
 */
final class MemslotUpdater extends Actor implements AutoCloseable {
    static final int SLOT = 1;
    /** Far above the first slot's 4 pages. */
    static final long GPA = 1L << 30;
    static final long PAGES = 16;

    private final NativeBridge bridge;
    private final KvmVm vm;
    private final long pairs;
    private final long range;
    final Histogram create = Histograms.ns();
    final Histogram delete = Histograms.ns();
    private volatile long done;
    private boolean closed;

    MemslotUpdater(NativeBridge bridge, int cpu, KvmVm vm, long pairs) {
        super("memslot-updater", bridge, cpu);
        this.bridge = bridge;
        this.vm = vm;
        this.pairs = pairs;
        this.range = bridge.mmap(0, PAGES * Linux.PAGE_SIZE, Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
    }

    long done() { return done; }

    @Override protected void body() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = KvmVm.regionBuffer(a);
            for (long i = 0; i < pairs && !stopping(); i++) {
                long t0 = System.nanoTime();
                vm.setMemoryRegion(buf, SLOT, GPA, PAGES * Linux.PAGE_SIZE, range);
                long t1 = System.nanoTime();
                vm.setMemoryRegion(buf, SLOT, GPA, 0, range);
                long t2 = System.nanoTime();
                Histograms.record(create, t1 - t0);
                Histograms.record(delete, t2 - t1);
                done = i + 1;
            }
        }
    }

    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        bridge.munmap(range, PAGES * Linux.PAGE_SIZE);
    }
}
