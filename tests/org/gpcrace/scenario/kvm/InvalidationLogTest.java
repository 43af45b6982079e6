package org.gpcrace.scenario.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.gpcrace.scenario.kvm.InvalidationLog.Verdict;
import org.junit.jupiter.api.Test;

/**
 * The judge of kvm-pvclock runs, on hand-made timelines (ns). A run: zero at z, KVM_RUN over
 * [rs, re], read at r; the previous KVM_RUN over [prs, pre].
 */
class InvalidationLogTest {
    static InvalidationLog log(long... intervals) {
        InvalidationLog l = new InvalidationLog(8, true);
        for (int i = 0; i < intervals.length; i += 2) {
            l.begin(intervals[i]);
            l.end(intervals[i], intervals[i + 1]);
        }
        return l;
    }

    // previous run [100, 200], this run: zero 300, run [310, 400], read 410
    static Verdict judge(InvalidationLog l) { return l.reader().judge(300, 410, 100, 200, 310); }

    @Test
    void nothingLoggedIsQuiet() { assertEquals(Verdict.QUIET, judge(log())); }

    @Test
    void oldIntervalIsQuiet() { assertEquals(Verdict.QUIET, judge(log(10, 90))); }

    @Test
    void intervalInsideTheWindowOverlaps() { assertEquals(Verdict.OVERLAPPED, judge(log(350, 360))); }

    @Test
    void intervalEndingAtTheZeroOverlaps() { assertEquals(Verdict.OVERLAPPED, judge(log(250, 300))); }

    @Test
    void intervalStartingAtTheReadOverlaps() { assertEquals(Verdict.OVERLAPPED, judge(log(410, 420))); }

    @Test
    void intervalAfterTheReadIsNotThisRunsBusiness() { assertEquals(Verdict.QUIET, judge(log(411, 420))); }

    @Test
    void wholeIntervalBetweenRunsMeansRefresh() { assertEquals(Verdict.REFRESHED, judge(log(210, 290))); }

    @Test
    void intervalStartingInsideThePreviousRunIsUncertain() { assertEquals(Verdict.UNCERTAIN, judge(log(150, 250))); }

    @Test
    void invalidationUnderWayAtTheReadOverlaps() {
        InvalidationLog l = log();
        l.begin(405);
        assertEquals(Verdict.OVERLAPPED, judge(l));
    }

    @Test
    void invalidationStartedAfterTheReadDoesNotOverlap() {
        InvalidationLog l = log();
        l.begin(420);
        assertEquals(Verdict.QUIET, judge(l));
    }

    @Test
    void overlapWinsOverRefresh() { assertEquals(Verdict.OVERLAPPED, judge(log(210, 290, 320, 330))); }

    @Test
    void theNextRunSeesWhatCameAfterThisOne() {
        InvalidationLog l = log(350, 360);
        InvalidationLog.Reader r = l.reader();
        assertEquals(Verdict.OVERLAPPED, r.judge(300, 410, 100, 200, 310));
        l.begin(420);
        l.end(420, 440);
        // next run: zero 450, run [460, 500], read 510; previous run [310, 400]
        assertEquals(Verdict.REFRESHED, r.judge(450, 510, 310, 400, 460));
        // and the one after: nothing new
        assertEquals(Verdict.QUIET, r.judge(600, 700, 460, 500, 610));
    }

    @Test
    void eachVcpuReadsTheLogWithItsOwnCursor() {
        InvalidationLog l = log(210, 290);
        InvalidationLog.Reader a = l.reader(), b = l.reader();
        assertEquals(Verdict.REFRESHED, a.judge(300, 410, 100, 200, 310));
        assertEquals(Verdict.QUIET, a.judge(500, 600, 310, 400, 510));
        assertEquals(Verdict.REFRESHED, b.judge(300, 410, 100, 200, 310), "a's cursor must not move b's");
    }

    @Test
    void fallingARingBehindIsCountedAndJudgedOverlapped() {
        InvalidationLog l = log();
        for (int i = 0; i < 20; i++) {
            l.begin(1000 + 10 * i);
            l.end(1000 + 10 * i, 1005 + 10 * i);
        }
        InvalidationLog.Reader r = l.reader();
        assertEquals(Verdict.OVERLAPPED, r.judge(2000, 2100, 1500, 1600, 2010));
        assertEquals(1, r.overruns());
    }

    @Test
    void nextFreshCompletionSkipsTheOneUnderWay() {
        InvalidationLog l = log(10, 20);
        assertEquals(2, l.nextFreshCompletion());
        l.begin(30);
        assertEquals(3, l.nextFreshCompletion());
    }

    @Test
    void theNegativeControlLogsNothing() {
        InvalidationLog l = new InvalidationLog(8, false);
        l.begin(350);
        l.end(350, 360);
        assertEquals(0, l.completed());
        assertEquals(Verdict.QUIET, judge(l));
    }
}
