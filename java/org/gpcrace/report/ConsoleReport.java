package org.gpcrace.report;

import java.io.PrintWriter;
import org.gpcrace.result.Grade;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.Observation;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.TestResult;

/**
 * Console rendering of a test: the jcstress table (RESULT SAMPLES FREQ EXPECT DESCRIPTION),
 * the litmus7 Observation line, rounds and rate, the first FORBIDDEN outcome, and each latency
 * as the rcuscale block (min p50 p90 p99 p99.9 max mean, ns).
 */
public final class ConsoleReport {
    private ConsoleReport() {}

    public static void print(PrintWriter out, TestResult t) {
        out.println("[" + t.name() + "]");
        if (!t.ran()) {
            out.println("  " + (t.skip() != null ? t.skip().line() : "FAILED: " + t.error()));
            return;
        }
        if (t.outcomes() != null && !t.outcomes().isEmpty()) {
            out.printf("  %-24s %12s %8s  %-12s %s%n", "RESULT", "SAMPLES", "FREQ", "EXPECT", "DESCRIPTION");
            for (OutcomeCount o : t.outcomes()) {
                double freq = t.rounds() == 0 ? 0 : 100.0 * o.count() / t.rounds();
                String mark = o.grade() == Grade.FORBIDDEN && o.count() > 0 ? "!!! " : "";
                out.printf("  %-24s %12d %7.3f%%  %-12s %s%s%n", o.id(), o.count(), freq, o.grade().label(), mark, o.description());
            }
            out.println("  " + observationLine(t));
        }
        if (t.rounds() > 0) {
            String unit = "latency".equals(t.scenario()) ? "samples" : "rounds"; // a latency test counts samples
            out.printf("  %s %d in %.2f s (%.0f %s/s)%n", unit, t.rounds(), t.durationSeconds(), t.roundsPerSecond(), unit);
        }
        if (t.firstForbidden() != null) {
            var f = t.firstForbidden();
            out.printf("  first FORBIDDEN: %s at round %d after %.3f ms%n", f.outcome(), f.round(), f.elapsedMs());
        }
        if (t.latencies() != null && !t.latencies().isEmpty()) {
            out.printf("  %-34s %9s %9s %9s %9s %9s %9s %10s %11s%n", "LATENCY (ns)", "count", "min", "p50", "p90", "p99", "p99.9", "max", "mean");
            for (LatencySummary l : t.latencies()) out.println("  " + latencyLine(l));
        }
    }

    /**
     * litmus7 style: Observation TEST Never|Sometimes|Always P N, where P is the number of rounds
     * with a FORBIDDEN outcome and P + N the rounds. A round can carry several outcomes, so P comes
     * from {@code extra.forbiddenRounds} when the scenario counts it; otherwise the outcomes are
     * taken as exclusive per round.
     */
    public static String observationLine(TestResult t) {
        long positive = forbiddenRounds(t);
        long other = Math.max(0, t.rounds() - positive);
        return "Observation " + t.name() + " " + Observation.of(positive, t.rounds()) + " " + positive + " " + other;
    }

    static long forbiddenRounds(TestResult t) {
        if (t.extra() != null && t.extra().get("forbiddenRounds") instanceof Number n) return n.longValue();
        return Math.min(t.forbiddenCount(), t.rounds());
    }

    public static String latencyLine(LatencySummary l) {
        return String.format("%-34s %9d %9d %9d %9d %9d %9d %10d %11.1f", l.metric(), l.count(), l.min(), l.p50(), l.p90(),
                l.p99(), l.p999(), l.max(), l.mean());
    }
}
