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
        assertEquals(List.of(0, 1), p.cpus().subList(0, 2), "invalidator 0, reader 1");
        assertEquals(0, p.cpuOf(2), "the uffd monitor beside the invalidator");
        Placement q = Placement.plan(List.of(0, 1), 3);
        assertFalse(q.distinct());
        assertEquals(List.of(0, 1, 0, 1), q.cpus().subList(0, 4));
        assertNotNull(q.note());
        Placement two = Placement.plan(List.of(0, 1, 2, 3), 1, 2, true);
        assertTrue(two.distinct(), "invalidator, reader, second invalidator, storm: four CPUs");
        assertEquals(List.of(0, 1), two.cpus().subList(0, 2));
        assertEquals(2, two.cpuOf(3), "the second invalidator after the readers");
        assertEquals(3, two.cpuOf(4), "the storm after it");
        assertEquals("invalidator2", Placement.actorName(3, 1));
        assertEquals("storm", Placement.actorName(4, 1));
        assertFalse(Placement.plan(List.of(0, 1), 1, 2, false).distinct());
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
