package org.gpcrace.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The oracle's arithmetic on synthetic rounds: the stale/visible/lost split per generation and every inconsistency it must catch. */
class OracleArithmeticTest {
    private static final int G = Oracle.GENS;

    /** One reader; generation 0 invalidated (S, T, C), generation 1 the last one published (T1 accesses, C1 counted). */
    private static EnumSet<GpcOutcome> one(long s, long t, long c, long t1, long c1) {
        long[] snap = new long[G], tally = new long[G], end = new long[G];
        snap[0] = s;
        tally[0] = t;
        end[0] = c;
        tally[1] = t1;
        end[1] = c1;
        return Oracle.classify(new Oracle.Round(1, 1, 1, snap, tally, new long[1], end, new long[1], 0, false, false, false)).outcomes;
    }

    @Test
    void splitsStaleIntoVisibleAndLost() {
        Oracle.ReaderVerdict v = Oracle.reader(100, 107, 3);
        assertEquals(7, v.stale());
        assertEquals(3, v.visible());
        assertEquals(4, v.lost());
        assertEquals(EnumSet.of(GpcOutcome.STALE_VISIBLE, GpcOutcome.STALE_LOST), one(100, 107, 3, 20, 20));
        assertEquals(EnumSet.of(GpcOutcome.STALE_LOST), one(100, 103, 0, 20, 20));
        assertEquals(EnumSet.of(GpcOutcome.STALE_VISIBLE), one(100, 102, 2, 20, 20));
        assertEquals(EnumSet.of(GpcOutcome.CLEAN), one(100, 100, 0, 20, 20));
    }

    @Test
    void negativeQuantitiesAreHarnessInconsistencies() {
        // stale < 0: more increments before the snapshot than accesses with the invalidated generation
        assertEquals(EnumSet.of(GpcOutcome.HARNESS_INCONSISTENCY), one(101, 100, 0, 20, 20));
        // lost < 0: more stale accesses visible than stale accesses made
        assertEquals(EnumSet.of(GpcOutcome.HARNESS_INCONSISTENCY), one(100, 101, 3, 20, 20));
        // the last generation, not invalidated: every access it made must be in the current frame
        assertEquals(EnumSet.of(GpcOutcome.HARNESS_INCONSISTENCY), one(100, 100, 0, 20, 19));
        // one inconsistent reader among clean ones is still reported
        long[] snap = new long[2 * G], tally = new long[2 * G], end = new long[2 * G];
        snap[0] = 5; tally[0] = 5; snap[G] = 5; tally[G] = 4;
        EnumSet<GpcOutcome> two = Oracle.classify(new Oracle.Round(2, 1, 0, snap, tally, new long[2], end, new long[2], 0, false, false,
                false)).outcomes;
        assertEquals(EnumSet.of(GpcOutcome.HARNESS_INCONSISTENCY), two);
    }

    @Test
    void generationsAreJudgedApart() {
        // two invalidations: g stale and visible, g+1 clean, g+2 the last
        long[] snap = {4, 7, 0, 0}, tally = {6, 7, 3, 0}, end = {2, 0, 3, 0};
        Oracle.RoundVerdict v = Oracle.classify(new Oracle.Round(1, 3, 2, snap, tally, new long[1], end, new long[1], 0, false, false,
                false));
        assertEquals(EnumSet.of(GpcOutcome.STALE_VISIBLE), v.outcomes);
        assertEquals(2, v.stale);
        assertEquals(2, v.visible);
        assertEquals(0, v.lost);
    }

    @Test
    void anAccessWithAnUnexpectedGenerationIsAnInconsistency() {
        long[] z = new long[G];
        EnumSet<GpcOutcome> out = Oracle.classify(new Oracle.Round(1, 0, 0, z, z, new long[] {2}, z, new long[1], 0, false, false,
                false)).outcomes;
        assertEquals(EnumSet.of(GpcOutcome.HARNESS_INCONSISTENCY), out);
        // also when the start returned EAGAIN: a generation outside the round is never legitimate
        out = Oracle.classify(new Oracle.Round(1, 0, 0, z, z, new long[] {1}, z, new long[1], 1, true, false, false)).outcomes;
        assertTrue(out.contains(GpcOutcome.HARNESS_INCONSISTENCY) && out.contains(GpcOutcome.EAGAIN), out.toString());
    }

    @Test
    void flagsAreReportedBesideTheCounters() {
        long[] z = new long[G];
        EnumSet<GpcOutcome> out = Oracle.classify(new Oracle.Round(1, 0, 0, z, z, new long[1], z, new long[1], 1, true, false,
                false)).outcomes;
        assertEquals(EnumSet.of(GpcOutcome.WOULD_SLEEP, GpcOutcome.EAGAIN), out);
        out = Oracle.classify(new Oracle.Round(1, 0, 0, z, z, new long[1], z, new long[] {3}, 0, false, true, true)).outcomes;
        assertEquals(EnumSet.of(GpcOutcome.UNMAP_USE, GpcOutcome.REFRESH_LIVELOCK, GpcOutcome.REAP_STALL), out);
    }
}
