package org.gpcrace.report;

import java.io.PrintWriter;
import org.gpcrace.result.Grade;
import org.gpcrace.result.ModelExtra;
import org.gpcrace.result.Observation;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.TestResult;

/**
 * Console rendering of one explored configuration: per outcome Never/Sometimes/Always with the
 * number of final states, the herd7 Observation line over final states, the exploration's size
 * and time, then the shortest interleaving to each reachable FORBIDDEN outcome, step by step.
 */
public final class ModelReport {
    private ModelReport() {}

    static void print(PrintWriter out, TestResult t, ModelExtra m) {
        out.printf("  %-24s %-11s %12s  %-12s %s%n", "RESULT", "MODEL", "FINAL STATES", "EXPECT", "DESCRIPTION");
        for (OutcomeCount o : t.outcomes()) {
            Observation obs = o.observation() != null ? o.observation() : Observation.of(o.count(), t.rounds());
            String mark = o.grade() == Grade.FORBIDDEN && o.count() > 0 ? "!!! " : "";
            out.printf("  %-24s %-11s %12d  %-12s %s%s%n", o.id(), obs, o.count(), o.grade().label(), mark, o.description());
        }
        out.println("  " + t.observationLine());
        out.printf("  states explored %d, transitions %d, final states %d, longest interleaving %d steps, %.3f s (%s)%n",
                m.statesExplored(), m.transitions(), t.rounds(), m.longestInterleaving(), t.durationSeconds(), m.semantics());
        for (ModelExtra.Counterexample c : m.counterexamples()) printTrace(out, c);
    }

    public static void printTrace(PrintWriter out, ModelExtra.Counterexample c) {
        out.printf("  shortest interleaving to %s (%d steps)%s:%n", c.outcome(), c.steps().size(),
                c.start() == null || c.start().isEmpty() ? "" : ", when " + c.start());
        int n = 0;
        for (ModelExtra.Step s : c.steps()) {
            n++;
            out.printf("    %3d  %-11s %-58s %s%n", n, s.actor(), s.step(), String.join(", ", s.changes()));
        }
    }
}
