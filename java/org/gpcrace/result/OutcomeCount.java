package org.gpcrace.result;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How many rounds showed an outcome (a round may carry several outcomes). A model (kind
 * "model") counts final states instead of rounds and states its verdict in {@code observation};
 * hardware runs leave it out (it follows from count and rounds).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutcomeCount(String id, long count, Grade grade, String description, Observation observation) {

    public OutcomeCount(String id, long count, Grade grade, String description) {
        this(id, count, grade, description, null);
    }

    /** Whether the outcome was seen: a count above 0, or a model's Sometimes/Always. */
    public boolean seen() { return count > 0 || observation == Observation.Sometimes || observation == Observation.Always; }
}
