package org.gpcrace.result;

import java.util.List;

/**
 * An exploration's own block (kind "model"): the semantics, the size of what was explored and the
 * reduction used, the steps of each actor's program it reached (per role; the reachability report
 * of `gpcrace model` unites them over configurations and names what none reached), and the
 * shortest interleaving to each reachable FORBIDDEN outcome, step by step.
 */
public record ModelExtra(String semantics, long statesExplored, long transitions, long deadlocks, int longestInterleaving,
        String reduction, java.util.Map<String, List<String>> reachedSteps, List<Counterexample> counterexamples) implements TestExtra {

    /** The shortest interleaving to {@code outcome}, from the initial state {@code start} describes. */
    public record Counterexample(String outcome, String start, List<Step> steps) {}

    /** One atomic step: who took it, its name, what it changed ("valid: true -> false"). */
    public record Step(String actor, String step, List<String> changes) {}

    public ModelExtra {
        counterexamples = List.copyOf(counterexamples);
        reduction = reduction == null ? "none" : reduction;
        reachedSteps = reachedSteps == null ? java.util.Map.of() : new java.util.LinkedHashMap<>(reachedSteps);
    }

    /** An exploration without a reduction or a reachability report (fault-in-reader's model). */
    public ModelExtra(String semantics, long statesExplored, long transitions, long deadlocks, int longestInterleaving,
            List<Counterexample> counterexamples) {
        this(semantics, statesExplored, transitions, deadlocks, longestInterleaving, "none", null, counterexamples);
    }
}
