package org.gpcrace.scenario.pin;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.Linux;

/** How the mapping moves on to a new frame while the reference holds the old one. */
public enum PinMove {
    /** MADV_DONTNEED: the page is zapped; the next write faults in a new zero page */
    DONTNEED("dontneed"),
    /** mmap(MAP_FIXED) of fresh anonymous memory over the page: a new VMA, a new frame */
    REMAP("remap"),
    /** the negative control (not in the scenario's list): the mapping keeps its frame, so the
     *  reference must see the new write, and the harness must report follows-mapping */
    NONE("none");

    /** The moves the scenario runs. */
    static final PinMove[] SCENARIO_MOVES = {DONTNEED, REMAP};

    private final String id;

    PinMove(String id) { this.id = id; }

    public String id() { return id; }

    void apply(NativeBridge b, long page) {
        if (this == NONE) return;
        if (this == DONTNEED) b.madvise(page, Linux.PAGE_SIZE, Linux.MADV_DONTNEED);
        else b.mmap(page, Linux.PAGE_SIZE, Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS | Linux.MAP_FIXED, -1, 0);
    }
}
