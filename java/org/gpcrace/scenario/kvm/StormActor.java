package org.gpcrace.scenario.kvm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.Linux;

/**
 * --storm: back-to-back MADV_DONTNEED (of populated pages with --storm-touch) of a range of this process that no memslot covers, in the
 * C helper's loop (gpcrace_kvm_storm). KVM counts every invalidation of the process in
 * mn_active_invalidate_count, and hva_to_pfn_retry() retries while it is non-zero: the storm
 * makes the GPC refresh loop without ever touching the GPC's page. Owns its range and struct.
 */
final class StormActor extends Actor implements AutoCloseable {
    private static final VarHandle STOP = Layouts.GPCRACE_STORM.varHandle(groupElement("stop"));
    private static final VarHandle COUNT = Layouts.GPCRACE_STORM.varHandle(groupElement("invalidations"));

    private final NativeBridge bridge;
    private final long pages;
    private final long range;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment storm = arena.allocate(Layouts.GPCRACE_STORM);
    private boolean closed;

    StormActor(NativeBridge bridge, int cpu, long pages, boolean touch) {
        super("storm", bridge, cpu);
        this.bridge = bridge;
        this.pages = pages;
        try {
            this.range = bridge.mmap(0, pages * Linux.PAGE_SIZE, Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        Layouts.GPCRACE_STORM.varHandle(groupElement("addr")).set(storm, 0L, range);
        Layouts.GPCRACE_STORM.varHandle(groupElement("pages")).set(storm, 0L, pages);
        Layouts.GPCRACE_STORM.varHandle(groupElement("advice")).set(storm, 0L, Linux.MADV_DONTNEED);
        Layouts.GPCRACE_STORM.varHandle(groupElement("touch")).set(storm, 0L, touch ? 1 : 0);
    }

    @Override protected void body() { bridge.kernel().storm(storm.address()); }

    @Override void requestStop() {
        super.requestStop();
        STOP.setVolatile(storm, 0L, 1);
    }

    long invalidations() { return (long) COUNT.getVolatile(storm, 0L); }

    /** Ready once its first invalidation is done. */
    @Override boolean ready() { return invalidations() > 0 || !isAlive() && super.ready(); }

    long pages() { return pages; }

    /** Unmaps the range; call after the thread ended. */
    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            bridge.munmap(range, pages * Linux.PAGE_SIZE);
        } finally {
            arena.close();
        }
    }
}
