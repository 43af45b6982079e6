package org.gpcrace.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The oracle's arithmetic on synthetic rounds: the stale/visible/lost split and every inconsistency it must catch. */
class OracleArithmeticTest {
    private static final long[] ZERO = {0};

    private static EnumSet<GpcOutcome> one(long s, long tInv, long tNext, long c) {
        return Oracle.classify(true, new long[] {s}, new long[] {tInv}, new long[] {tNext}, new long[] {0}, new long[] {c}, 0, false, false);
    }

    @Test
    void splitsStaleIntoVisibleAndLost() {
        Oracle.ReaderVerdict v = Oracle.reader(100, 107, 20, 23);
        assertEquals(7, v.stale());
        assertEquals(3, v.visible());
        assertEquals(4, v.lost());
        assertEquals(EnumSet.of(GpcOutcome.STALE_VISIBLE, GpcOutcome.STALE_LOST), one(100, 107, 20, 23));
        assertEquals(EnumSet.of(GpcOutcome.STALE_LOST), one(100, 103, 20, 20));
        assertEquals(EnumSet.of(GpcOutcome.STALE_VISIBLE), one(100, 102, 20, 22));
        assertEquals(EnumSet.of(GpcOutcome.CLEAN), one(100, 100, 20, 20));
    }

    @Test
    void negativeQuantitiesAreHarnessInconsistencies() {
        // stale < 0: more increments before the snapshot than accesses with the invalidated generation
        assertEquals(EnumSet.of(GpcOutcome.HARNESS_INCONSISTENCY), one(101, 100, 20, 20));
        // visible < 0: the new frame lacks accesses made with the new generation
        assertEquals(EnumSet.of(GpcOutcome.HARNESS_INCONSISTENCY), one(100, 100, 20, 19));
        // lost < 0: more stale accesses visible in the new frame than stale accesses made
        assertEquals(EnumSet.of(GpcOutcome.HARNESS_INCONSISTENCY), one(100, 101, 20, 23));
        // one inconsistent reader among clean ones is still reported
        EnumSet<GpcOutcome> two = Oracle.classify(true, new long[] {5, 5}, new long[] {5, 4}, new long[] {1, 1},
                new long[] {0, 0}, new long[] {1, 1}, 0, false, false);
        assertEquals(EnumSet.of(GpcOutcome.HARNESS_INCONSISTENCY), two);
    }

    @Test
    void anAccessWithAnUnexpectedGenerationIsAnInconsistency() {
        EnumSet<GpcOutcome> out = Oracle.classify(true, new long[] {5}, new long[] {5}, new long[] {1}, new long[] {2},
                new long[] {1}, 0, false, false);
        assertEquals(EnumSet.of(GpcOutcome.HARNESS_INCONSISTENCY), out);
        // also when the round was not invalidated (eagain): a third generation is never legitimate
        out = Oracle.classify(false, ZERO, ZERO, ZERO, new long[] {1}, ZERO, 1, true, false);
        assertTrue(out.contains(GpcOutcome.HARNESS_INCONSISTENCY) && out.contains(GpcOutcome.EAGAIN), out.toString());
    }

    @Test
    void skippedInvalidationIsNotJudgedButCounted() {
        // eagain: counters are meaningless (no zap, no reset), only would-sleep and eagain are reported
        EnumSet<GpcOutcome> out = Oracle.classify(false, new long[] {0}, new long[] {50}, new long[] {3}, new long[] {0},
                new long[] {53}, 1, true, false);
        assertEquals(EnumSet.of(GpcOutcome.WOULD_SLEEP, GpcOutcome.EAGAIN), out);
        out = Oracle.classify(true, new long[] {9}, new long[] {9}, new long[] {1}, new long[] {0}, new long[] {1}, 0, false, true);
        assertEquals(EnumSet.of(GpcOutcome.REFRESH_LIVELOCK), out);
    }
}
