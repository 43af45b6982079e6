package org.gpcrace.scenario.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gpcrace.sys.kvm.KvmTrace;
import org.junit.jupiter.api.Test;

/** The trace oracle's effect windows, on hand-made events (ns; printed times are whole us, +-500 ns). */
class TraceJudgeTest {
    static KvmTrace.TraceEvent event(long tsUs, int pid) {
        return KvmTrace.TraceEvent.parse(String.format(" t-%d ( 1) [000] ..... %d.%06d: kvm_unmap_hva_range: mmu notifier unmap range:"
                + " 0x1000 -- 0x2000", pid, tsUs / 1_000_000, tsUs % 1_000_000));
    }

    /** An invalidator that made calls [10 us, 20 us] and [50 us, 52 us]. */
    static PvclockInvalidator invalidator() {
        PvclockInvalidator inv = new PvclockInvalidator(null, -1, null, 0, new InvalidationLog(8, true), 1);
        inv.tid = 7;
        inv.end(10_000, 20_000);
        inv.end(50_000, 52_000);
        return inv;
    }

    @Test
    void aHarnessEventLastsUntilItsCallReturnedAndNoLonger() {
        TraceJudge.Window w = TraceJudge.window(event(12, 7), 9, invalidator());
        assertEquals(TraceJudge.By.HARNESS, w.by());
        assertEquals(11_500, w.lo());
        assertEquals(20_000, w.hi(), "the call returned at 20 us, after the TLB flush");
        TraceJudge.Window edge = TraceJudge.window(event(10, 7), 9, invalidator());
        assertEquals(10_000, edge.lo(), "never before the call began");
    }

    @Test
    void anEventOutsideEveryCallNeverEnds() {
        TraceJudge.Window w = TraceJudge.window(event(30, 7), 9, invalidator());
        assertEquals(TraceJudge.By.UNMATCHED, w.by());
        assertEquals(Long.MAX_VALUE, w.hi());
    }

    @Test
    void anotherTasksEventIsItsOwnMicrosecondAndTheVcpusOwnIsMarked() {
        TraceJudge.Window ksmd = TraceJudge.window(event(40, 123), 9, invalidator());
        assertEquals(TraceJudge.By.OTHER, ksmd.by());
        assertEquals(39_500, ksmd.lo());
        assertEquals(40_500, ksmd.hi());
        assertTrue(TraceJudge.window(event(40, 9), 9, invalidator()).own());
        assertFalse(TraceJudge.window(event(40, 9), 10, null).own());
    }

    @Test
    void firstAtOrAfterFindsTheBoundary() {
        long[] ts = {1, 3, 3, 7};
        assertEquals(0, TraceJudge.firstAtOrAfter(ts, 0));
        assertEquals(1, TraceJudge.firstAtOrAfter(ts, 3));
        assertEquals(3, TraceJudge.firstAtOrAfter(ts, 4));
        assertEquals(4, TraceJudge.firstAtOrAfter(ts, 8));
        assertEquals(2, TraceJudge.firstAtOrAfter(ts, 2, 4), "only the first two count");
    }
}
