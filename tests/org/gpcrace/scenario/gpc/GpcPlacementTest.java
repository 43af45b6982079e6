package org.gpcrace.scenario.gpc;

import static org.gpcrace.scenario.gpc.GpcTesting.harnessSound;
import static org.gpcrace.scenario.gpc.GpcTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.Test;

/** Actor placement: distinct CPUs when there are enough, shared otherwise (and the run still progresses and stays exact). */
class GpcPlacementTest {
    @Test
    void plansDistinctCpusWhenThereAreEnough() {
        Placement p = Placement.plan(List.of(0, 1), 1);
        assertTrue(p.distinct());
        assertEquals(List.of(0, 1, 0), p.cpus(), "invalidator 0, reader 1, uffd monitor beside the invalidator");
        Placement q = Placement.plan(List.of(0, 1), 3);
        assertFalse(q.distinct());
        assertEquals(List.of(0, 1, 0, 1, 0), q.cpus());
        assertNotNull(q.note());
    }

    @Test
    void sharedCpuRunsStayExact() {
        TestResult safe = run(GpcConfig.builder(Protocol.RWLOCK).readers(3).cpus(List.of(0)).rounds(300).seed(8).build());
        harnessSound(safe);
        assertEquals(300, safe.rounds());
        assertEquals(0, safe.forbiddenRounds());
        TestResult pinned = run(GpcConfig.builder(Protocol.PINNED).readers(2).cpus(List.of(0)).rounds(300).seed(8).build());
        harnessSound(pinned);
        assertEquals(300, GpcTesting.figure(pinned, "forbiddenRounds"), "pinned+remap stale every round, even on one CPU");
    }
}
