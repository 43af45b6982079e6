package org.gpcrace.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.gpcrace.result.Grade;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.Skip;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.Test;

/** The suite's summary tells a finding from a reproduced race, and shows skips with their fix. */
class SuiteSummaryTest {
    static TestResult test(boolean declaredSafe, long forbidden, long interesting) {
        return new TestResult("t", "gpc", Map.of("expectedSafe", declaredSafe), "ran", null, null, 100, 1, 100,
                List.of(new OutcomeCount("clean", 100 - forbidden, Grade.ACCEPTABLE, ""),
                        new OutcomeCount("stale-lost", forbidden, Grade.FORBIDDEN, ""),
                        new OutcomeCount("eagain", interesting, Grade.ACCEPTABLE_INTERESTING, "")),
                null, List.of(), Map.of());
    }

    @Test
    void findingInASafeProtocolIsMarked() {
        String l = SuiteCommand.summaryLine(test(true, 3, 0));
        assertTrue(l.contains("!!! FORBIDDEN: stale-lost=3"), l);
    }

    @Test
    void forbiddenInAnUnsafeProtocolIsTheRaceReproduced() {
        String l = SuiteCommand.summaryLine(test(false, 3, 0));
        assertTrue(l.contains("race reproduced") && !l.contains("!!!"), l);
        assertTrue(SuiteCommand.summaryLine(test(false, 0, 0)).contains("race NOT reproduced"));
    }

    @Test
    void cleanSafeProtocolWithInterestingOutcomes() {
        String l = SuiteCommand.summaryLine(test(true, 0, 5));
        assertTrue(l.contains("ok, no forbidden outcome; interesting: eagain=5"), l);
    }

    @Test
    void skipShowsReasonAndFix() {
        String l = SuiteCommand.summaryLine(TestResult.skipped("kvm", "kvm-pvclock", Map.of(), new Skip("no /dev/kvm", "modprobe kvm")));
        assertTrue(l.contains("SKIPPED: no /dev/kvm (fix: modprobe kvm)"), l);
    }

    @Test
    void exitStatusCountsFindingsAndFailuresOnly() {
        assertTrue(SuiteCommand.isFindingOrFailure(test(true, 3, 0)), "forbidden in a safe protocol");
        assertTrue(!SuiteCommand.isFindingOrFailure(test(false, 3, 0)), "forbidden in a declared-unsafe control is expected");
        assertTrue(!SuiteCommand.isFindingOrFailure(test(true, 0, 5)));
        assertTrue(SuiteCommand.isFindingOrFailure(new TestResult("x", "s", Map.of(), "failed", null, "boom", 0, 0, 0,
                List.of(), null, List.of(), Map.of())));
        assertTrue(!SuiteCommand.isFindingOrFailure(TestResult.skipped("k", "k", Map.of(), new Skip("r", "f"))), "a skip is not a failure");
    }
}
