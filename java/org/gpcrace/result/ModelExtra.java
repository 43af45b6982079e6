package org.gpcrace.result;

import java.util.List;

/**
 * An exploration's own block (kind "model"): the semantics, the size of what was explored, the
 * steps of the protocol no configuration reached, and the shortest interleaving to each reachable
 * FORBIDDEN outcome, step by step.
 */
public record ModelExtra(String semantics, long statesExplored, long transitions, long deadlocks, int longestInterleaving,
        List<Counterexample> counterexamples) implements TestExtra {

    /** The shortest interleaving to {@code outcome}, from the initial state {@code start} describes. */
    public record Counterexample(String outcome, String start, List<Step> steps) {}

    /** One atomic step: who took it, its name, what it changed ("valid: true -> false"). */
    public record Step(String actor, String step, List<String> changes) {}

    public ModelExtra {
        counterexamples = List.copyOf(counterexamples);
    }
}
