package org.gpcrace.scenario.gpc;

import static org.gpcrace.scenario.gpc.GpcTesting.count;
import static org.gpcrace.scenario.gpc.GpcTesting.figure;
import static org.gpcrace.scenario.gpc.GpcTesting.harnessSound;
import static org.gpcrace.scenario.gpc.GpcTesting.run;
import static org.gpcrace.scenario.gpc.GpcTesting.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gpcrace.protocol.GpcOutcome;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.protocol.RefreshMode;
import org.gpcrace.protocol.Source;
import org.gpcrace.result.TestResult;
import org.gpcrace.result.Verdict;
import org.gpcrace.sys.Backing;
import org.junit.jupiter.api.Test;

/**
 * The two places where the engine follows the kernel's cache past the first invalidation, each
 * shown on hardware beside its twin: gpc_unmap (seqcount tears a khva down under a reader,
 * seqcount-srcu-unmap-only's synchronize_srcu there does not), and the refresh under a storm of
 * unrelated invalidations (mainline's hva_to_pfn_retry spins past its bound, the 2024
 * range-aware wait does not).
 */
class GpcFidelityTest {

    /** Every round deactivates and reactivates a cache whose khva is a memfd view; readers stay 2 us inside each access. */
    static GpcConfig.Builder unmapRounds(Protocol p) {
        return GpcConfig.builder(p).backing(Backing.SHMEM).source(Source.DONTNEED).unmapEvery(1).accessNs(2000).stride(4)
                .rounds(25_000).seed(11);
    }

    @Test
    void seqcountUsesAMappingGpcUnmapToreDown() {
        TestResult t = run(unmapRounds(Protocol.SEQCOUNT).build());
        harnessSound(t);
        assertEquals(t.rounds(), figure(t, "unmapRounds"), "every round is an unmap round");
        assertTrue(count(t, GpcOutcome.UNMAP_USE) > 0, "seqcount's gpc_unmap waits for nobody, yet no reader used the torn-down"
                + " view in " + t.rounds() + " rounds");
        assertEquals(Verdict.RACE_REPRODUCED, verdict(t));
    }

    /** The twin: the same rounds with the proposal's synchronize_srcu in gpc_unmap. */
    @Test
    void unmapOnlyWaitsForReadersInGpcUnmap() {
        TestResult t = run(unmapRounds(Protocol.SEQCOUNT_SRCU_UNMAP_ONLY).build());
        harnessSound(t);
        assertEquals(t.rounds(), figure(t, "unmapRounds"), "every round is an unmap round");
        assertTrue(figure(t, "readersInsideRounds") > t.rounds() / 2, "not vacuous: readers were inside in "
                + figure(t, "readersInsideRounds") + " of " + t.rounds() + " rounds");
        assertEquals(0, count(t, GpcOutcome.UNMAP_USE), "synchronize_srcu in gpc_unmap waits for every reader that holds the view");
    }

    /** Mainline's refresh retries while any invalidation runs; an unrelated one of 64 pages runs almost all the time. */
    static GpcConfig.Builder storm(RefreshMode m) {
        return GpcConfig.builder(Protocol.RWLOCK).storm(64, 0).refresh(m).refreshRetryBound(10).rounds(20_000).seed(13);
    }

    @Test
    void mainlineRefreshLivelocksUnderAStorm() {
        TestResult t = run(storm(RefreshMode.RETRY).build());
        harnessSound(t);
        assertTrue(figure(t, "stormInvalidations") > 0, "the storm ran");
        assertTrue(figure(t, "refreshRetries") > t.rounds(), "hva_to_pfn_retry retried " + figure(t, "refreshRetries") + " times in "
                + t.rounds() + " rounds");
        assertTrue(count(t, GpcOutcome.REFRESH_LIVELOCK) > 0, "no refresh retried more than 10 times under the storm ("
                + figure(t, "refreshRetries") + " retries, " + figure(t, "stormInvalidations") + " storm invalidations)");
        assertEquals(Verdict.OK, verdict(t), "a livelocked refresh is interesting, not forbidden");
    }

    /** The twin: the range-aware wait ignores invalidations of other ranges. */
    @Test
    void rangeAwareWaitIgnoresTheStorm() {
        TestResult t = run(storm(RefreshMode.WAIT).build());
        harnessSound(t);
        assertTrue(figure(t, "stormInvalidations") > 0, "the storm ran");
        assertEquals(0, count(t, GpcOutcome.REFRESH_LIVELOCK), "the wait retries only when its own page's invalidation moved"
                + " mmu_invalidate_seq (" + figure(t, "refreshRetries") + " retries)");
        assertTrue(figure(t, "refreshRetries") <= t.rounds(), "at most one retry per round (one invalidation of the page each)");
    }
}
