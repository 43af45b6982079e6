package org.gpcrace.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one grading place: every verdict from outcomes and the declared expectation, and the exit status from the verdicts. */
class GradingTest {
    static final Expectation SAFE = Expectation.safe("the protocol drains readers");
    static final Expectation UNSAFE = Expectation.unsafe("readers are not drained", "stale-visible", "stale-lost");

    static TestResult ran(Expectation e, long staleLost, long hang, long interesting, boolean interrupted) {
        return TestResult.builder("t", "gpc", Map.of()).expectation(e).rounds(100, 1).forbiddenRounds(staleLost + hang)
                .outcome(new OutcomeCount("clean", 100 - staleLost - hang, Grade.ACCEPTABLE, ""))
                .outcome(new OutcomeCount("stale-lost", staleLost, Grade.FORBIDDEN, ""))
                .outcome(new OutcomeCount("hang", hang, Grade.FORBIDDEN, ""))
                .outcome(new OutcomeCount("eagain", interesting, Grade.ACCEPTABLE_INTERESTING, "")).interrupted(interrupted).build();
    }

    static Verdict v(TestResult t) { return Grading.judge(t).verdict(); }

    @Test
    void aForbiddenOutcomeInASafeTestIsAFinding() {
        Grading.Judgement j = Grading.judge(ran(SAFE, 3, 0, 0, false));
        assertEquals(Verdict.FINDING, j.verdict());
        assertTrue(j.reason().contains("stale-lost=3 in 3 of 100 rounds") && j.reason().startsWith("!!!"), j.reason());
    }

    @Test
    void theDeclaredRaceInAnUnsafeControlIsReproducedNotAFinding() {
        assertEquals(Verdict.RACE_REPRODUCED, v(ran(UNSAFE, 3, 0, 0, false)));
        assertEquals(Verdict.RACE_NOT_REPRODUCED, v(ran(UNSAFE, 0, 0, 0, false)), "a control whose race was not seen is not a pass");
    }

    @Test
    void aForbiddenOutcomeOutsideTheDeclaredRaceIsStillAFinding() {
        Grading.Judgement j = Grading.judge(ran(UNSAFE, 3, 1, 0, false));
        assertEquals(Verdict.FINDING, j.verdict());
        assertTrue(j.reason().contains("hang=1") && j.reason().contains("not the race"), j.reason());
    }

    @Test
    void interestingOutcomesDoNotChangeAnOk() {
        assertEquals(Verdict.OK, v(ran(SAFE, 0, 0, 5, false)));
    }

    @Test
    void ctrlCBeforeAnythingConclusiveIsInterruptedButAFindingStaysAFinding() {
        assertEquals(Verdict.INTERRUPTED, v(ran(UNSAFE, 0, 0, 0, true)));
        assertEquals(Verdict.INTERRUPTED, v(ran(SAFE, 0, 0, 0, true)));
        assertEquals(Verdict.FINDING, v(ran(SAFE, 1, 0, 0, true)));
        assertEquals(Verdict.RACE_REPRODUCED, v(ran(UNSAFE, 1, 0, 0, true)));
    }

    @Test
    void skipsAndFailuresKeepTheirStatusAndReason() {
        Grading.Judgement s = Grading.judge(TestResult.skipped("k", "kvm", Map.of(), new Skip("no /dev/kvm", "modprobe kvm")));
        assertEquals(Verdict.SKIPPED, s.verdict());
        assertEquals("no /dev/kvm (fix: modprobe kvm)", s.reason());
        assertEquals(Verdict.FAILED, v(TestResult.failed("x", "s", Map.of(), "boom")));
    }

    @Test
    void aModelsObservationWithoutACountCounts() {
        TestResult m = TestResult.builder("m", "gpc", Map.of()).expectation(UNSAFE).unit("final states")
                .outcome(new OutcomeCount("stale-lost", 0, Grade.FORBIDDEN, "", Observation.Sometimes)).build();
        assertEquals(Verdict.RACE_REPRODUCED, v(m));
    }

    @Test
    void theExitStatusComesFromTheVerdicts() {
        List<TestResult> ok = List.of(Grading.grade(ran(SAFE, 0, 0, 0, false)), Grading.grade(ran(UNSAFE, 2, 0, 0, false)),
                Grading.grade(TestResult.skipped("k", "kvm", Map.of(), new Skip("r", "f"))));
        assertEquals(Grading.EXIT_OK, Grading.exitStatus(ok), "ok, reproduced and skipped: 0");
        assertEquals(Grading.EXIT_INCONCLUSIVE, Grading.exitStatus(List.of(Grading.grade(ran(UNSAFE, 0, 0, 0, false)))));
        assertEquals(Grading.EXIT_FINDING, Grading.exitStatus(List.of(Grading.grade(ran(UNSAFE, 0, 0, 0, false)),
                Grading.grade(ran(SAFE, 1, 0, 0, false)))), "a finding outranks an inconclusive control");
        assertEquals(Grading.EXIT_FINDING, Grading.exitStatus(List.of(Grading.grade(TestResult.failed("x", "s", Map.of(), "boom")))));
    }

    @Test
    void unitsAreNamedInTheSingular() {
        assertEquals("round", Grading.singular("rounds"));
        assertEquals("batch", Grading.singular("batches"));
        assertEquals("final state", Grading.singular("final states"));
        assertEquals("trial", Grading.singular("trials"));
    }

    @Test
    void expectationsAreConsistent() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Expectation(Expectation.Kind.UNSAFE, List.of(), "x"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Expectation(Expectation.Kind.SAFE, List.of("a"), "x"));
    }
}
