package org.gpcrace.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.gpcrace.protocol.GpcOutcome;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.result.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.gpcrace.protocol.LockKind;
import org.gpcrace.protocol.NonblockPolicy;

/** The explorer's verdict per protocol (issue 6), its counterexamples, and its own consistency. */
class GpcModelTest {
    static GpcModelRun run(Protocol p, LockKind lock, boolean nonblock, NonblockPolicy pol, int readers, int accesses, int extra) {
        return GpcModelRun.explore(new GpcModelConfig(p, lock, nonblock, pol, readers, accesses, extra, 8), Explorer.DEFAULT_MAX_STATES);
    }

    static GpcModelRun run(Protocol p, LockKind lock, boolean nonblock, NonblockPolicy pol, int readers, int accesses) {
        return run(p, lock, nonblock, pol, readers, accesses, 1);
    }

    static GpcModelRun run(Protocol p) { return run(p, LockKind.SPIN, false, null, 2, 2); }

    static boolean staleReachable(Exploration e) {
        return e.outcomeStates().containsKey(GpcOutcome.STALE_VISIBLE.id()) || e.outcomeStates().containsKey(GpcOutcome.STALE_LOST.id());
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"RWLOCK", "SEQCOUNT_SRCU", "UFFD_INVALIDATE_THEN_READ"})
    void safeProtocolsNeverReachAStaleOutcome(Protocol p) {
        for (LockKind lock : LockKind.values()) {
            Exploration e = run(p, lock, false, null, 2, 3).exploration();
            assertFalse(staleReachable(e), p.id() + " " + lock.id() + ": " + e.outcomeStates());
            assertEquals(Observation.Always, e.observation(GpcOutcome.CLEAN.id()));
            assertTrue(e.states() > 100, "explored a real state space: " + e.states());
        }
    }

    /** The negative controls: the same explorer and oracle find the race in each unsafe variant. */
    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"SEQCOUNT_SRCU_UNMAP_ONLY", "SEQCOUNT", "UNLOCKED", "UFFD_READ_THEN_INVALIDATE"})
    void unsafeProtocolsReachAStaleOutcomeSometimes(Protocol p) {
        Exploration e = run(p).exploration();
        assertTrue(staleReachable(e), p.id() + ": " + e.outcomeStates());
        assertEquals(Observation.Sometimes, e.observation(GpcOutcome.CLEAN.id()), "and clean rounds are possible too");
        assertEquals(Observation.Sometimes, e.observation(GpcOutcome.STALE_VISIBLE.id()));
        assertEquals(Observation.Sometimes, e.observation(GpcOutcome.STALE_LOST.id()));
    }

    /** Every round is stale: lost when the remap maps a fresh page, visible when it maps the pinned one. */
    @Test
    void pinnedAfterARemapIsStaleAlways() {
        Exploration e = run(Protocol.PINNED).exploration();
        assertEquals(e.finalStates(), e.positiveStates(), "a stale outcome in every final state");
        assertEquals(Observation.Never, e.observation(GpcOutcome.CLEAN.id()));
        assertEquals(Observation.Sometimes, e.observation(GpcOutcome.STALE_LOST.id()));
        assertEquals(Observation.Sometimes, e.observation(GpcOutcome.STALE_VISIBLE.id()));
        Trace visible = GpcModelTest.run(Protocol.PINNED).forbiddenTraces().get(GpcOutcome.STALE_VISIBLE);
        assertTrue(visible.start().contains("the page the pin holds"), visible.start());
    }

    @Test
    void nonBlockableSeqcountSrcuReachesWouldSleepUnlessItReturnsEagainFirst() {
        for (NonblockPolicy pol : NonblockPolicy.values()) {
            Exploration e = run(Protocol.SEQCOUNT_SRCU, LockKind.SPIN, true, pol, 2, 2).exploration();
            assertEquals(pol == NonblockPolicy.EAGAIN ? Observation.Never : Observation.Sometimes, e.observation(GpcOutcome.WOULD_SLEEP.id()),
                    pol.id() + ": -EAGAIN is returned before waiting, never a would-sleep");
            assertFalse(staleReachable(e), "still safe when it waits or gives up: " + pol.id());
            assertEquals(pol == NonblockPolicy.EAGAIN ? Observation.Sometimes : Observation.Never, e.observation(GpcOutcome.EAGAIN.id()));
        }
        // blocking mode never counts it: the same explorer distinguishes the two
        assertEquals(Observation.Never, run(Protocol.SEQCOUNT_SRCU).exploration().observation(GpcOutcome.WOULD_SLEEP.id()));
    }

    @Test
    void onlyASleepingRwlockWouldSleepWhenNonBlockable() {
        Exploration spin = run(Protocol.RWLOCK, LockKind.SPIN, true, NonblockPolicy.SLEEP, 2, 2).exploration();
        Exploration sleeping = run(Protocol.RWLOCK, LockKind.SLEEPING, true, NonblockPolicy.SLEEP, 2, 2).exploration();
        assertEquals(Observation.Never, spin.observation(GpcOutcome.WOULD_SLEEP.id()));
        assertEquals(Observation.Sometimes, sleeping.observation(GpcOutcome.WOULD_SLEEP.id()));
        assertFalse(staleReachable(sleeping));
    }

    @Test
    void seqcountCounterexampleReplaysThroughTheStepSemantics() {
        GpcModelRun r = run(Protocol.SEQCOUNT);
        Trace t = r.forbiddenTraces().get(GpcOutcome.STALE_VISIBLE);
        assertNotNull(t);
        Set<String> outs = Replay.outcomes(new GpcModel(r.config()), t);
        assertTrue(outs.contains(GpcOutcome.STALE_VISIBLE.id()), outs.toString());
        // it is an interleaving: several actors take turns, and the stale access follows the zap
        assertTrue(t.steps().stream().map(Trace.Step::actor).distinct().count() >= 2);
        int zap = indexOf(t, "invalidator", "zap");
        int staleAccess = -1;
        for (int i = 0; i < t.length(); i++) {
            Trace.Step s = t.steps().get(i);
            if (s.step().equals("access") && s.changes().stream().anyMatch(c -> c.contains("counter@new"))
                    && s.changes().stream().anyMatch(c -> c.contains("T[g]:"))) staleAccess = i;
        }
        assertTrue(zap >= 0 && staleAccess > zap, "an access with generation g lands in the new frame after the zap:\n" + t);
    }

    @Test
    void everyCounterexampleOfEveryProtocolReplays() {
        for (Protocol p : Protocol.values()) {
            GpcModelRun r = run(p);
            r.forbiddenTraces().forEach((o, t) -> assertTrue(Replay.outcomes(new GpcModel(r.config()), t).contains(o.id()), p.id() + " " + o.id()));
        }
    }

    /** The model itself must never hang nor break an oracle identity, in any small configuration. */
    @Test
    void noConfigurationHangsOrIsInconsistent() {
        for (Protocol p : Protocol.values()) {
            for (int readers = 1; readers <= 2; readers++) {
                for (int acc = 1; acc <= 3; acc++) {
                    for (boolean nb : p.usesUffd() ? List.of(false) : List.of(false, true)) {
                        LockKind lock = nb ? LockKind.SLEEPING : LockKind.SPIN;
                        Exploration e = run(p, lock, nb, nb ? NonblockPolicy.EAGAIN : null, readers, acc).exploration();
                        String where = p.id() + " r=" + readers + " k=" + acc + " nb=" + nb + ": " + e.outcomeStates();
                        assertEquals(0, e.deadlocks(), where);
                        assertFalse(e.outcomeStates().containsKey(GpcOutcome.HARNESS_INCONSISTENCY.id()), where);
                        assertFalse(e.outcomeStates().containsKey(GpcOutcome.REFRESH_LIVELOCK.id()), "one invalidation retries a refresh at most once: " + where);
                        assertEquals(!p.expectedSafe(), staleReachable(e), "K=1 races too: readers go on while invalidating: " + where);
                    }
                }
            }
        }
    }

    /** With no access allowed while the invalidation runs, one access is after it: only pinned is stale. */
    @Test
    void aSingleAccessAfterTheInvalidationIsAlwaysCleanExceptPinned() {
        for (Protocol p : Protocol.values()) {
            Exploration e = run(p, LockKind.SPIN, false, null, 1, 1, 0).exploration();
            assertEquals(p == Protocol.PINNED, staleReachable(e), p.id());
        }
    }

    @Test
    void refusesConfigurationsItCannotExplore() {
        assertThrows(IllegalArgumentException.class, () -> new GpcModelConfig(Protocol.RWLOCK, LockKind.SPIN, false, null, 0, 2, 1, 8));
        assertThrows(IllegalArgumentException.class, () -> new GpcModelConfig(Protocol.RWLOCK, LockKind.SPIN, false, null, 2, 9, 1, 8));
        assertThrows(IllegalArgumentException.class,
                () -> new GpcModelConfig(Protocol.UFFD_READ_THEN_INVALIDATE, LockKind.SPIN, true, NonblockPolicy.SPIN, 2, 2, 1, 8));
    }

    @Test
    void resultsCarryEveryOutcomeWithItsObservation() {
        var t = run(Protocol.UNLOCKED).toTestResult();
        assertEquals(GpcOutcome.values().length, t.outcomes().size());
        for (var o : t.outcomes()) assertEquals(Observation.of(o.count(), t.rounds()), o.observation(), o.id());
        assertEquals("unlocked", t.params().get("protocol"));
        var m = (org.gpcrace.result.ModelExtra) t.extra();
        assertTrue(m.statesExplored() > 0);
        assertFalse(m.counterexamples().isEmpty());
    }

    private static int indexOf(Trace t, String actor, String step) {
        for (int i = 0; i < t.length(); i++) {
            if (t.steps().get(i).actor().equals(actor) && t.steps().get(i).step().equals(step)) return i;
        }
        return -1;
    }
}
