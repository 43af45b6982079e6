package org.gpcrace.scenario.gpc;

import static org.gpcrace.bridge.Layouts.GPC_READER_ROUND;
import static org.gpcrace.bridge.Layouts.GPC_ROUND;

import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * One round's header as the native runner wrote it (gpcrace_gpc_round), read from the batch
 * buffer with the checked layouts; the readers' records (gpcrace_gpc_reader_round) follow it.
 */
public record RoundRecord(long round, long elapsedNs, long delayNs, long generation, long pfnBefore, long pfnAfter,
        long invNs, long deferNs, int flags, int wouldSleep, int readersInside, int refreshes, int refreshRetries, int zapErrno,
        int events, int eagains, int snapMask, int finalGen, int kicks, int stormInvalidations, int maxRetries) {

    public static final int INVALIDATED = 1, EAGAIN = 2, LIVELOCK = 4, ZAPPED = 8, RESET = 16, UFFD_EVENT = 32, UNMAP = 64,
            DEFERRED = 128;

    static final long ROUND = off(GPC_ROUND, "round"), ELAPSED = off(GPC_ROUND, "elapsed_ns"),
            DELAY = off(GPC_ROUND, "delay_ns"), GEN = off(GPC_ROUND, "generation"),
            PFN_BEFORE = off(GPC_ROUND, "pfn_before"), PFN_AFTER = off(GPC_ROUND, "pfn_after"),
            INV_NS = off(GPC_ROUND, "inv_ns"), DEFER_NS = off(GPC_ROUND, "defer_ns"), FLAGS = off(GPC_ROUND, "flags"),
            WOULD_SLEEP = off(GPC_ROUND, "would_sleep"), INSIDE = off(GPC_ROUND, "readers_inside"),
            REFRESHES = off(GPC_ROUND, "refreshes"), RETRIES = off(GPC_ROUND, "refresh_retries"),
            ZAP_ERRNO = off(GPC_ROUND, "zap_errno"), EVENTS = off(GPC_ROUND, "events"), EAGAINS = off(GPC_ROUND, "eagains"),
            SNAP_MASK = off(GPC_ROUND, "snap_mask"), FINAL_GEN = off(GPC_ROUND, "final_gen"), KICKS = off(GPC_ROUND, "kicks"),
            STORM = off(GPC_ROUND, "storm_invalidations"), MAX_RETRIES = off(GPC_ROUND, "max_retries");
    static final long SNAPSHOT = off(GPC_READER_ROUND, "snapshot"), TALLY = off(GPC_READER_ROUND, "tally"),
            TALLY_OTHER = off(GPC_READER_ROUND, "tally_other"), COUNTER_END = off(GPC_READER_ROUND, "counter_end"),
            LOOP_NS = off(GPC_READER_ROUND, "loop_ns"), KICK_NS = off(GPC_READER_ROUND, "kick_ns"),
            UNMAP_USE = off(GPC_READER_ROUND, "unmap_use"), READER_KICKS = off(GPC_READER_ROUND, "kicks");

    static long off(StructLayout l, String field) { return l.byteOffset(PathElement.groupElement(field)); }

    /** Bytes of one round with its readers, as gpcrace_gpc_round_bytes. */
    public static long bytes(int readers) { return GPC_ROUND.byteSize() + readers * GPC_READER_ROUND.byteSize(); }

    static RoundRecord read(MemorySegment s, long base) {
        return new RoundRecord(l(s, base + ROUND), l(s, base + ELAPSED), l(s, base + DELAY), l(s, base + GEN),
                l(s, base + PFN_BEFORE), l(s, base + PFN_AFTER), l(s, base + INV_NS), l(s, base + DEFER_NS), i(s, base + FLAGS),
                i(s, base + WOULD_SLEEP), i(s, base + INSIDE), i(s, base + REFRESHES), i(s, base + RETRIES),
                i(s, base + ZAP_ERRNO), i(s, base + EVENTS), i(s, base + EAGAINS), i(s, base + SNAP_MASK),
                i(s, base + FINAL_GEN), i(s, base + KICKS), i(s, base + STORM), i(s, base + MAX_RETRIES));
    }

    /** Offset of reader r's record in a round that starts at base. */
    static long reader(long base, int r) { return base + GPC_ROUND.byteSize() + r * GPC_READER_ROUND.byteSize(); }

    static long l(MemorySegment s, long at) { return s.get(ValueLayout.JAVA_LONG, at); }

    static int i(MemorySegment s, long at) { return s.get(ValueLayout.JAVA_INT, at); }

    public boolean invalidated() { return (flags & INVALIDATED) != 0; }
    public boolean eagain() { return (flags & EAGAIN) != 0; }
    public boolean livelock() { return (flags & LIVELOCK) != 0; }
    public boolean zapped() { return (flags & ZAPPED) != 0; }
    public boolean reset() { return (flags & RESET) != 0; }
    public boolean uffdEvent() { return (flags & UFFD_EVENT) != 0; }
    public boolean unmap() { return (flags & UNMAP) != 0; }
    public boolean deferred() { return (flags & DEFERRED) != 0; }
}
