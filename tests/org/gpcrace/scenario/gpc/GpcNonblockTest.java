package org.gpcrace.scenario.gpc;

import org.gpcrace.protocol.LockKind;
import org.gpcrace.protocol.NonblockPolicy;
import static org.gpcrace.scenario.gpc.GpcTesting.verdict;
import static org.gpcrace.scenario.gpc.GpcTesting.count;
import static org.gpcrace.scenario.gpc.GpcTesting.figure;
import static org.gpcrace.scenario.gpc.GpcTesting.harnessSound;
import static org.gpcrace.scenario.gpc.GpcTesting.run;
import static org.gpcrace.scenario.gpc.GpcTesting.stale;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gpcrace.protocol.GpcOutcome;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.result.TestResult;
import org.gpcrace.result.Verdict;
import org.junit.jupiter.api.Test;

/**
 * Non-blockable mode. The readers spend almost all of their time inside the read section (each
 * access does 3 us of extra work), so the invalidation nearly always finds one inside:
 * seqcount-srcu's synchronize_srcu and the sleeping rwlock's write lock would then sleep
 * (would-sleep); the spinning rwlock never counts would-sleep; eagain skips the zap.
 */
class GpcNonblockTest {
    static final long ROUNDS = 3000;

    static GpcConfig.Builder inside(Protocol p) {
        return GpcConfig.builder(p).rounds(ROUNDS).stride(4).accessNs(3000).seed(5);
    }

    @Test
    void seqcountSrcuCountsWouldSleepWhenReadersAreInside() {
        TestResult t = run(inside(Protocol.SEQCOUNT_SRCU).nonblock(NonblockPolicy.SLEEP).build());
        harnessSound(t);
        long ws = count(t, GpcOutcome.WOULD_SLEEP), inside = figure(t, "readersInsideRounds");
        assertTrue(inside > ROUNDS / 2, "the readers were inside in " + inside + " of " + ROUNDS + " rounds");
        assertTrue(ws >= inside / 2, "would-sleep in " + ws + " rounds, readers inside in " + inside);
        assertEquals(0, stale(t), "sleeping anyway keeps the protocol safe");
        assertEquals(Verdict.RACE_REPRODUCED, verdict(t), "would-sleep in a non-blockable invalidation is the race this configuration is declared to show");
    }

    @Test
    void eagainSkipsTheZap() {
        TestResult t = run(inside(Protocol.SEQCOUNT_SRCU).nonblock(NonblockPolicy.EAGAIN).build());
        harnessSound(t);
        long eagain = count(t, GpcOutcome.EAGAIN);
        assertTrue(eagain > 0, "no EAGAIN although readers were inside in " + figure(t, "readersInsideRounds") + " rounds");
        assertEquals(0, count(t, GpcOutcome.WOULD_SLEEP), "-EAGAIN is returned before waiting: never a would-sleep");
        assertEquals(Verdict.OK, verdict(t), "EAGAIN is the legitimate way out of a non-blockable invalidation, not a finding");
        assertEquals(ROUNDS - eagain, figure(t, "zappedRounds"), "a round that returned EAGAIN performs no zap");
        assertEquals(ROUNDS - eagain, figure(t, "invalidatedRounds"));
        assertEquals(0, stale(t));
    }

    @Test
    void spinningRwlockNeverWouldSleep() {
        TestResult t = run(inside(Protocol.RWLOCK).lock(LockKind.SPIN).nonblock(NonblockPolicy.SLEEP).build());
        harnessSound(t);
        assertTrue(figure(t, "readersInsideRounds") > ROUNDS / 2, "not vacuous: readers were inside");
        assertEquals(0, count(t, GpcOutcome.WOULD_SLEEP));
        assertEquals(0, t.forbiddenRounds());
    }

    /** Negative control of the test above: the sleeping rwlock, same parameters, would sleep. */
    @Test
    void sleepingRwlockWouldSleep() {
        TestResult t = run(inside(Protocol.RWLOCK).lock(LockKind.SLEEPING).nonblock(NonblockPolicy.SPIN).build());
        harnessSound(t);
        assertTrue(count(t, GpcOutcome.WOULD_SLEEP) > 0, "the sleeping rwlock's write lock waited for readers but counted no would-sleep");
        assertEquals(0, stale(t), "spinning instead of sleeping still drains the readers");
    }
}
