package org.gpcrace.report;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.gpcrace.result.TestResult;

/**
 * What a gpc test prints after the jcstress table (ConsoleReport): the verdict for its protocol,
 * the start-delay range, the race-window map (rounds and stale rounds by start delay), where the
 * actors ran, and the notes. Reads only the test's results.json fields.
 */
public final class GpcConsoleReport {
    private GpcConsoleReport() {}

    public static void print(PrintWriter out, TestResult t) {
        ConsoleReport.print(out, t);
        if (!t.ran() || t.extra() == null || t.extra().isEmpty()) return;
        Map<String, Object> x = t.extra();
        out.println("  verdict: " + x.get("verdictText"));
        if (x.get("delayRange") instanceof Map<?, ?> d) {
            out.printf("  start delay %s..%s ns%s%n", d.get("minNs"), d.get("maxNs"),
                    Boolean.TRUE.equals(d.get("calibrated")) ? " (calibrated: 0 .. median reader loop)" : "");
        }
        if (x.get("raceWindow") instanceof List<?> rows && !rows.isEmpty()) {
            out.printf("  race window: %-12s %10s %10s %8s%n", "DELAY ns", "ROUNDS", "STALE", "RATE");
            for (Object o : rows) {
                if (!(o instanceof Map<?, ?> r)) continue;
                long rounds = ((Number) r.get("rounds")).longValue(), stale = ((Number) r.get("staleRounds")).longValue();
                out.printf("               %-12s %10d %10d %7.3f%%%n", ">= " + r.get("delayNs"), rounds, stale,
                        rounds == 0 ? 0.0 : 100.0 * stale / rounds);
            }
        }
        if (x.get("placement") instanceof Map<?, ?> p) {
            StringBuilder s = new StringBuilder("  placement:");
            for (var e : p.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> a) {
                    s.append(' ').append(e.getKey()).append("=cpu").append(a.get("pinned"));
                    if (a.get("seen") != null && !a.get("seen").equals(a.get("pinned"))) s.append("(seen ").append(a.get("seen")).append(')');
                }
            }
            out.println(s);
        }
        if (x.get("notes") instanceof List<?> notes) for (Object n : notes) out.println("  note: " + n);
    }
}
