package org.gpcrace.scenario.gpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gpcrace.bridges.Bridges;
import org.gpcrace.protocol.GpcOutcome;
import org.gpcrace.result.Grading;
import org.gpcrace.result.TestResult;
import org.gpcrace.result.Verdict;

/** Shared by the gpc tests: run a configuration through a bridge and read its figures. */
final class GpcTesting {
    private GpcTesting() {}

    static TestResult run(GpcConfig c) { return run(c, "ffm"); }

    static TestResult run(GpcConfig c, String bridge) {
        TestResult t = GpcRun.run(c, Bridges.open(bridge));
        assertTrue(t.ran(), () -> t.name() + " did not run: " + (t.skip() != null ? t.skip().line() : t.error()));
        return t;
    }

    static long figure(TestResult t, String name) {
        if (name.equals("forbiddenRounds")) return t.forbiddenRounds();
        double v = t.figure(name);
        assertTrue(!Double.isNaN(v), t.name() + " has no figure " + name);
        return (long) v;
    }

    /** The verdict the runner would give. */
    static Verdict verdict(TestResult t) { return Grading.judge(t).verdict(); }

    static long count(TestResult t, GpcOutcome o) { return t.count(o.id()); }

    static long stale(TestResult t) { return count(t, GpcOutcome.STALE_VISIBLE) + count(t, GpcOutcome.STALE_LOST); }

    /** No outcome that proves a harness bug. */
    static void harnessSound(TestResult t) {
        assertEquals(0, count(t, GpcOutcome.HARNESS_INCONSISTENCY), t.name() + ": harness-inconsistency must stay 0");
        assertEquals(0, count(t, GpcOutcome.HANG), t.name() + ": hang");
    }
}
