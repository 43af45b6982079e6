package org.gpcrace.report;

import java.io.PrintWriter;
import org.gpcrace.result.GpcExtra;
import org.gpcrace.result.Grade;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.ModelExtra;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.TestResult;

/**
 * Console rendering of a graded test: the jcstress table (RESULT SAMPLES FREQ EXPECT
 * DESCRIPTION), the litmus7 Observation line, rounds and rate, the first FORBIDDEN outcome, each
 * latency as the rcuscale block (min p50 p90 p99 p99.9 max mean, ns), the scenario's own block,
 * the notes, and last the verdict with its reason (as {@link org.gpcrace.result.Grading} gave it).
 */
public final class ConsoleReport {
    private ConsoleReport() {}

    public static void print(PrintWriter out, TestResult t) {
        out.println("[" + t.name() + "]");
        if (t.ran()) body(out, t);
        out.println("  verdict: " + verdictText(t));
    }

    private static void body(PrintWriter out, TestResult t) {
        if (t.extra() instanceof ModelExtra m) {
            ModelReport.print(out, t, m);
        } else if (!t.outcomes().isEmpty()) {
            out.printf("  %-24s %12s %8s  %-12s %s%n", "RESULT", "SAMPLES", "FREQ", "EXPECT", "DESCRIPTION");
            for (OutcomeCount o : t.outcomes()) {
                double freq = t.rounds() == 0 ? 0 : 100.0 * o.count() / t.rounds();
                String mark = o.grade() == Grade.FORBIDDEN && o.count() > 0 ? "!!! " : "";
                out.printf("  %-24s %12d %7.3f%%  %-12s %s%s%n", o.id(), o.count(), freq, o.grade().label(), mark, o.description());
            }
            out.println("  " + t.observationLine());
        }
        if (t.rounds() > 0 && !(t.extra() instanceof ModelExtra)) {
            out.printf("  %s %d in %.2f s (%.0f %s/s)%n", t.unit(), t.rounds(), t.durationSeconds(), t.roundsPerSecond(), t.unit());
        }
        if (t.firstForbidden() != null && !(t.extra() instanceof ModelExtra)) {
            var f = t.firstForbidden();
            out.printf("  first FORBIDDEN: %s at %s %d after %.3f ms%n", f.outcome(), singular(t.unit()), f.round(), f.elapsedMs());
        }
        if (!t.latencies().isEmpty()) {
            out.printf("  %-34s %9s %9s %9s %9s %9s %9s %10s %11s%n", "LATENCY (ns)", "count", "min", "p50", "p90", "p99", "p99.9", "max", "mean");
            for (LatencySummary l : t.latencies()) out.println("  " + latencyLine(l));
        }
        if (t.extra() instanceof GpcExtra g) GpcConsoleReport.print(out, g);
        for (String n : t.notes()) out.println("  note: " + n);
    }

    /** "race reproduced (expected): stale-lost=275 in 276 of 82734 rounds". */
    public static String verdictText(TestResult t) {
        if (t.verdict() == null) return "(not graded)";
        return t.verdict().label() + (t.verdictReason() == null || t.verdictReason().isBlank() ? "" : ": " + t.verdictReason());
    }

    /** One line of the run's summary. */
    public static String summaryLine(TestResult t) {
        return String.format("  %-44s %s", t.name(), verdictText(t));
    }

    public static String latencyLine(LatencySummary l) {
        return String.format("%-34s %9d %9d %9d %9d %9d %9d %10d %11.1f", l.metric(), l.count(), l.min(), l.p50(), l.p90(),
                l.p99(), l.p999(), l.max(), l.mean());
    }

    static String singular(String unit) { return org.gpcrace.result.Grading.singular(unit); }
}
