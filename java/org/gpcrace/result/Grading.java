package org.gpcrace.result;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The one place a verdict is decided: a test's outcomes and status against its declared
 * {@link Expectation}. Every output (console, results.json, report.html, junit.xml, the summary,
 * the exit status) reads the verdict this gives; a results file read back is graded again here
 * and a stored verdict that disagrees is refused.
 *
 * <ol>
 *   <li>skipped and failed tests keep that status;</li>
 *   <li>a FORBIDDEN outcome the expectation does not name is a finding (for a safe test: any;
 *       for a declared-unsafe control: one outside its race, e.g. a hang);</li>
 *   <li>a declared-unsafe control that showed its race: race reproduced;</li>
 *   <li>a test cut short by Ctrl-C that showed nothing conclusive: interrupted;</li>
 *   <li>a declared-unsafe control that did not show its race: race not reproduced;</li>
 *   <li>otherwise ok.</li>
 * </ol>
 */
public final class Grading {
    private Grading() {}

    /** Exit statuses of a run: 0 ok, 1 a finding or a failed test, 2 bad input, 3 inconclusive, 130 Ctrl-C. */
    public static final int EXIT_OK = 0, EXIT_FINDING = 1, EXIT_BAD_INPUT = 2, EXIT_INCONCLUSIVE = 3, EXIT_INTERRUPTED = 130;

    /** A verdict and the one line that says why. */
    public record Judgement(Verdict verdict, String reason) {}

    public static Judgement judge(TestResult t) {
        return switch (t.status()) {
            case SKIPPED -> new Judgement(Verdict.SKIPPED, t.skip() == null ? "no reason given" : t.skip().reason()
                    + (t.skip().fix() == null || t.skip().fix().isBlank() ? "" : " (fix: " + t.skip().fix() + ")"));
            case FAILED -> new Judgement(Verdict.FAILED, t.error() == null ? "failed" : t.error());
            case RAN -> judgeRan(t);
        };
    }

    private static Judgement judgeRan(TestResult t) {
        Expectation e = t.expectation() == null ? Expectation.safe("no expectation declared") : t.expectation();
        List<OutcomeCount> unexplained = new ArrayList<>(), raced = new ArrayList<>();
        for (OutcomeCount o : t.outcomes()) {
            if (o.grade() != Grade.FORBIDDEN || !o.seen()) continue;
            (e.race().contains(o.id()) ? raced : unexplained).add(o);
        }
        String unit = t.unit();
        if (!unexplained.isEmpty()) {
            return new Judgement(Verdict.FINDING, "!!! FORBIDDEN " + counts(unexplained, t) + (e.declaredUnsafe()
                    ? " (not the race this control reproduces: " + String.join(", ", e.race()) + ")"
                    : " in a test expected to be safe"));
        }
        if (e.declaredUnsafe() && !raced.isEmpty()) {
            String first = t.firstForbidden() == null ? "" : String.format(java.util.Locale.ROOT, "; first at %s %d after %.3f ms",
                    singular(unit), t.firstForbidden().round(), t.firstForbidden().elapsedMs());
            return new Judgement(Verdict.RACE_REPRODUCED, counts(raced, t) + first);
        }
        if (t.interrupted()) {
            return new Judgement(Verdict.INTERRUPTED, "interrupted (Ctrl-C) after " + t.rounds() + " " + unit
                    + (e.declaredUnsafe() ? " before the race was seen" : ": no FORBIDDEN outcome in those"));
        }
        if (e.declaredUnsafe()) {
            return new Judgement(Verdict.RACE_NOT_REPRODUCED, "no " + String.join(" or ", e.race()) + " in " + t.rounds() + " " + unit
                    + ": the race was not reproduced (run longer, or widen what the race depends on)");
        }
        return new Judgement(Verdict.OK, "no FORBIDDEN outcome in " + t.rounds() + " " + unit);
    }

    /** "rounds" -> "round", "batches" -> "batch", "final states" -> "final state": what one of {@code unit} is called. */
    public static String singular(String unit) {
        if (unit.endsWith("ches") || unit.endsWith("shes") || unit.endsWith("sses") || unit.endsWith("xes")) return unit.substring(0, unit.length() - 2);
        return unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
    }

    /** "stale-lost=275, stale-visible=3 in 276 of 82734 rounds". */
    private static String counts(List<OutcomeCount> os, TestResult t) {
        StringBuilder s = new StringBuilder();
        for (OutcomeCount o : os) {
            s.append(s.isEmpty() ? "" : ", ").append(o.id()).append('=').append(o.count() > 0 || o.observation() == null ? o.count() : o.observation());
        }
        return s + " in " + t.forbiddenRounds() + " of " + t.rounds() + " " + t.unit();
    }

    /** The same test with the verdict this grading gives. */
    public static TestResult grade(TestResult raw) {
        Judgement j = judge(raw);
        return raw.withVerdict(j.verdict(), j.reason());
    }

    /** The exit status of a run of these tests (Ctrl-C is the caller's: it knows whether the run was cut). */
    public static int exitStatus(Collection<TestResult> tests) {
        boolean inconclusive = false;
        for (TestResult t : tests) {
            Verdict v = t.verdict() != null ? t.verdict() : judge(t).verdict();
            if (v.failing()) return EXIT_FINDING;
            inconclusive |= v == Verdict.RACE_NOT_REPRODUCED;
        }
        return inconclusive ? EXIT_INCONCLUSIVE : EXIT_OK;
    }
}
