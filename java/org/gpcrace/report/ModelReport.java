package org.gpcrace.report;

import java.io.PrintWriter;
import org.gpcrace.model.Exploration;
import org.gpcrace.model.GpcModelRun;
import org.gpcrace.model.Trace;
import org.gpcrace.oracle.GpcOutcome;
import org.gpcrace.result.Grade;
import org.gpcrace.result.Observation;

/**
 * Console rendering of one explored configuration: per outcome Never/Sometimes/Always with the
 * number of final states, the litmus Observation line, the exploration's size and time, then the
 * shortest interleaving to each reachable FORBIDDEN outcome, step by step (actor, step, changes).
 */
public final class ModelReport {
    private ModelReport() {}

    public static void print(PrintWriter out, GpcModelRun run) {
        Exploration e = run.exploration();
        var c = run.config();
        out.printf("[%s]  model: %d reader%s x %d access%s (+%d while invalidating), 1 invalidation, %s%n", c.testName(),
                c.readers(), c.readers() == 1 ? "" : "s", c.accesses(), c.accesses() == 1 ? "" : "es", c.extraAccesses(),
                GpcModelRun.SEMANTICS);
        out.printf("  %-24s %-11s %12s  %-12s %s%n", "RESULT", "MODEL", "FINAL STATES", "EXPECT", "DESCRIPTION");
        for (GpcOutcome o : GpcOutcome.values()) {
            long n = e.outcomeStates().getOrDefault(o.id(), 0L);
            Observation obs = e.observation(o.id());
            String mark = o.grade() == Grade.FORBIDDEN && n > 0 ? "!!! " : "";
            out.printf("  %-24s %-11s %12d  %-12s %s%s%n", o.id(), obs, n, o.grade().label(), mark, o.description());
        }
        out.println("  " + observationLine(run));
        out.printf("  states explored %d, transitions %d, final states %d, longest interleaving %d steps, %.3f s%n",
                e.states(), e.transitions(), e.finalStates(), e.maxDepth(), e.seconds());
        boolean stale = e.outcomeStates().containsKey(GpcOutcome.STALE_VISIBLE.id())
                || e.outcomeStates().containsKey(GpcOutcome.STALE_LOST.id());
        out.printf("  protocol table: %s; model: %s%n", c.protocol().expectedSafe() ? "expected safe" : "expected unsafe",
                stale ? "a stale access is reachable" : "no stale access is reachable");
        run.forbiddenTraces().forEach((o, t) -> printTrace(out, o, t));
    }

    /** herd7 style: Observation TEST Never|Sometimes|Always P N, over final states (P: with a FORBIDDEN outcome). */
    public static String observationLine(GpcModelRun run) {
        Exploration e = run.exploration();
        return "Observation " + run.config().testName() + " " + Observation.of(e.positiveStates(), e.finalStates())
                + " " + e.positiveStates() + " " + (e.finalStates() - e.positiveStates());
    }

    public static void printTrace(PrintWriter out, GpcOutcome outcome, Trace t) {
        out.printf("  shortest interleaving to %s (%d steps)%s:%n", outcome.id(), t.length(),
                t.start().isEmpty() ? "" : ", when " + t.start());
        int n = 0;
        for (Trace.Step s : t.steps()) {
            n++;
            out.printf("    %3d  %-11s %-58s %s%n", n, s.actor(), s.step(), String.join(", ", s.changes()));
        }
    }
}
