package org.gpcrace.scenario.gpc;

import static org.gpcrace.scenario.gpc.GpcTesting.verdict;
import static org.gpcrace.scenario.gpc.GpcTesting.figure;
import static org.gpcrace.scenario.gpc.GpcTesting.harnessSound;
import static org.gpcrace.scenario.gpc.GpcTesting.run;
import static org.gpcrace.scenario.gpc.GpcTesting.stale;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gpcrace.TestCaps;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.result.Observation;
import org.gpcrace.result.TestResult;
import org.gpcrace.result.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The protocols expected to be unsafe reach a FORBIDDEN (stale) outcome within a bounded number
 * of rounds; pinned + remap is stale in every round.
 */
class GpcUnsafeProtocolsTest {
    static final long BOUND = 300_000;

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"SEQCOUNT_SRCU_UNMAP_ONLY", "SEQCOUNT", "UNLOCKED", "UFFD_READ_THEN_INVALIDATE"})
    void unsafeProtocolReachesAStaleAccess(Protocol p) {
        if (p.usesUffd()) TestCaps.assume("uffd-event-remove");
        TestResult t = run(GpcConfig.builder(p).rounds(BOUND).stopOnForbidden(true).seed(11).build());
        harnessSound(t);
        assertNotNull(t.firstForbidden(), () -> p.id() + ": no FORBIDDEN outcome in " + t.rounds() + " rounds");
        assertTrue(t.firstForbidden().round() <= BOUND);
        assertTrue(stale(t) > 0, p.id() + ": the forbidden outcome is a stale access");
        assertEquals(Verdict.RACE_REPRODUCED, verdict(t));
    }

    @Test
    void pinnedRemapIsStaleInEveryRound() {
        long rounds = 2000;
        TestResult t = run(GpcConfig.builder(Protocol.PINNED).rounds(rounds).seed(3).build());
        harnessSound(t);
        assertEquals("remap", t.params().get("source"));
        assertEquals(rounds, t.rounds());
        assertEquals(rounds, figure(t, "forbiddenRounds"), "every round must have a stale access");
        assertEquals(Observation.Always, Observation.of(figure(t, "forbiddenRounds"), t.rounds()));
        // the remap alternates between two file pages: every other round the guest address maps a
        // frame other than the alias's; the alias (the pin) never follows it
        if (TestCaps.has("pagemap-frames")) assertEquals(rounds / 2, figure(t, "frameChangedRounds"));
    }
}
