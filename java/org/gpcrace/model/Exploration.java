package org.gpcrace.model;

import java.util.List;
import java.util.Map;

/**
 * What the explorer found: how many distinct states (up to symmetry) and transitions it visited,
 * how many final states there are, for each outcome the number of final states that carry it and
 * the shortest interleaving (fewest steps) to one of them, and which instructions of each role's
 * program were reached and which never were. {@code positiveStates}: final states with a
 * FORBIDDEN outcome (litmus's P in {@code Observation T Sometimes P N}).
 */
public record Exploration(long states, long transitions, long finalStates, long positiveStates, long deadlocks, int maxDepth,
        double seconds, Map<String, Long> outcomeStates, Map<String, Trace> shortest, Map<String, List<String>> reached,
        Map<String, List<String>> unreached) {

    /** litmus7 vocabulary over final states: no final state has it, some do, all do. */
    public org.gpcrace.result.Observation observation(String outcome) {
        return org.gpcrace.result.Observation.of(outcomeStates.getOrDefault(outcome, 0L), finalStates);
    }
}
