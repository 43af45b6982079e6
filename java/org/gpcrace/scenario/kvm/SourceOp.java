package org.gpcrace.scenario.kvm;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.protocol.Source;
import org.gpcrace.sys.Backing;
import org.gpcrace.bridge.Linux;
import org.gpcrace.sys.PageInfo;

/**
 * One invalidation source as kvm-pvclock drives it against the live kernel: the race's cycle (every
 * step that invalidates is logged), the sequential phase's timed invalidation, the host state it
 * needs, and what it lets the oracle see. One subclass per kind of kernel path; {@link PvclockSources}
 * maps each {@link Source} to one.
 */
abstract class SourceOp implements AutoCloseable {
    /** What an invalidation does to the frame behind the pvclock page: what a stale write would hit. */
    enum Frame {
        /** the page moves to another frame (or the slot to other memory): a write through a stale cache misses the process's page */
        MOVES("moves to another frame: a write KVM made through a cache that missed the invalidation would be missing (lost-update)"),
        /** the kernel chooses: a moved page catches a stale write, an unmoved one cannot */
        MAY_MOVE("moves only when the kernel chooses to (counted per invalidation): only then would a stale write be missing"),
        /** the page keeps its frame: a write through a stale cache still lands in the process's page */
        KEEPS("keeps its frame: a write through a cache that missed the invalidation would still land in the process's page,"
                + " so no outcome can show a missed invalidation; the source shows that KVM refreshes and what it costs");

        final String text;

        Frame(String text) { this.text = text; }
    }

    /** Logs the race's invalidating steps: begin() before the kernel call, end() after it. */
    interface Steps {
        long begin();

        /** Ends the step begun at {@code start}; its duration. */
        long end(long start);

        /** Ends it at {@code end}, a time the kernel call reported (its invalidating part ended then; the call returned later). */
        long end(long start, long end);
    }

    final Source source;
    final NativeBridge bridge;
    PvclockGuest guest;

    SourceOp(Source source, NativeBridge bridge) {
        this.source = source;
        this.bridge = bridge;
    }

    Backing backing() { return Backing.ANON; }

    /** The memslot source flips the data slot between two regions. */
    boolean alternateRegion() { return false; }

    abstract Frame frame();

    /** True when the invalidated state lasts between two kernel calls (read-only, slot deleted): the trace's event times do not bound it. */
    boolean lasting() { return false; }

    /**
     * The least pause of a vCPU actor between two runs in this source's race (added to the random
     * gap): sources whose invalidation needs the vCPU to leave the page or KVM alone for a while.
     */
    long vcpuGapMinNs() { return 0; }

    /** False when the kernel invalidates on its own time (ksmd): the race can be judged only with the trace. */
    boolean boundedBySyscalls() { return true; }

    /** Host state the source needs, made through HostChanges; CapabilityMissingException ("reason; fix") when refused. */
    void open(PvclockGuest g) { guest = g; }

    /** The race invalidator's cycle; returns the duration of the source's own step (ns). */
    abstract long raceCycle(Steps steps);

    /** Sequential: bring the pages into the state the invalidation changes (untimed; before the GPC is made valid). */
    void prepare() {}

    /** Sequential: the timed invalidation of the pvclock pages; returns when the kernel is done with it. */
    abstract void invalidate();

    /**
     * Sequential: whether the last invalidation did what the source does (from pagemap before and
     * after), or null when nothing the tool reads can tell.
     */
    Boolean effective(PageInfo before, PageInfo after) { return null; }

    /** One line on what {@link #effective} counts, or null. */
    String effectMeaning() { return null; }

    /** Undoes the host state of {@link #open}. */
    @Override public void close() {}

    // ---- what the ops work on

    /** The first pvclock page (current data region). */
    long pvclockPage() { return guest.pvclockAddress(0) & -Linux.PAGE_SIZE; }

    /** The pages holding some vCPU's structure. */
    long pvclockBytes() { return guest.pvclockSpanBytes(); }

    /** A byte of the first pvclock page no structure covers. */
    long spareByte() { return pvclockPage() + PvclockGuest.SPARE_OFFSET; }

    static void touch(long addr) {
        java.lang.foreign.MemorySegment b = java.lang.foreign.MemorySegment.ofAddress(addr).reinterpret(1);
        b.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) (b.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) + 1));
    }

    static boolean frameChanged(PageInfo before, PageInfo after) {
        return before.frame().isPresent() && (after.frame().isEmpty() || after.frame().getAsLong() != before.frame().getAsLong());
    }
}
