package org.gpcrace.report;

import java.io.PrintWriter;
import org.gpcrace.result.GpcExtra;

/**
 * What a gpc test prints after the jcstress table: the start-delay range, the race-window map
 * (rounds and violations by start delay) and where the actors ran.
 */
final class GpcConsoleReport {
    private GpcConsoleReport() {}

    static void print(PrintWriter out, GpcExtra g) {
        var d = g.delayRange();
        out.printf("  start delay %d..%d ns%s%n", d.minNs(), d.maxNs(), d.calibrated() ? " (calibrated: 0 .. median reader loop)" : "");
        if (!g.raceWindow().isEmpty()) {
            out.printf("  race window: %-12s %10s %10s %8s%n", "DELAY ns", "ROUNDS", "FORBIDDEN", "RATE");
            for (GpcExtra.WindowBucket b : g.raceWindow()) {
                out.printf("               %-12s %10d %10d %7.3f%%%n", ">= " + b.delayNs(), b.rounds(), b.forbiddenRounds(), b.forbiddenRatePct());
            }
        }
        StringBuilder s = new StringBuilder("  placement:");
        for (GpcExtra.ActorCpu a : g.placement()) {
            s.append(' ').append(a.actor()).append("=cpu").append(a.pinnedCpu());
            if (a.seenCpu() != null && a.seenCpu() != a.pinnedCpu()) s.append("(seen ").append(a.seenCpu()).append(')');
        }
        out.println(s);
    }
}
