package org.gpcrace.model.faultreader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gpcrace.protocol.faultreader.FaultReaderVariant;
import org.junit.jupiter.api.Test;

/** The fault-in-reader model: the cycle is reachable exactly where the thread says it is, and its trace closes it. */
class FaultReaderExplorationTest {
    static FaultReaderModel.Exploration explore(FaultReaderVariant v, int readers) {
        return new FaultReaderModel(v, readers, 2, 2).explore(1_000_000);
    }

    @Test
    void theCycleIsReachableOnlyWhenFaultingReadersAreInTheGlobalDomain() {
        for (FaultReaderVariant v : FaultReaderVariant.values()) {
            for (int readers = 1; readers <= 2; readers++) {
                var e = explore(v, readers);
                boolean unsafe = v.expectation().declaredUnsafe();
                assertEquals(unsafe, e.deadlocks() > 0, v + " with " + readers + " reader(s): " + e);
                assertTrue(e.migrated() > 0, "some interleaving always migrates: " + v);
                if (!unsafe) assertEquals(e.finalStates(), e.migrated(), "every end of a fix is a migration: " + v);
            }
        }
    }

    @Test
    void theShortestDeadlockEndsWithTheGracePeriodWaitingForABlockedReader() {
        var e = explore(FaultReaderVariant.SPIN_IN_FAULT, 1);
        var steps = e.deadlockTrace().stream().map(s -> s[0] + ": " + s[1]).toList();
        assertTrue(steps.contains("migrator: UFFDIO_COPY page 0 (migrate_folio_move)"), steps.toString());
        assertTrue(steps.stream().anyMatch(s -> s.startsWith("migrator: synchronize_rcu begins (waits for reader0")), steps.toString());
        assertTrue(steps.indexOf("reader0: rcu_read_lock") < steps.indexOf(steps.stream()
                .filter(s -> s.startsWith("migrator: synchronize_rcu begins")).findFirst().orElseThrow()), steps.toString());
        assertTrue(steps.stream().noneMatch(s -> s.contains("UFFDIO_COPY page 1")), "page 1 is never mapped: " + steps);
    }
}
