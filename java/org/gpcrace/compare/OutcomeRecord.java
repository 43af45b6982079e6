package org.gpcrace.compare;

import org.gpcrace.result.Grade;
import org.gpcrace.result.Observation;

/**
 * One outcome of one test as an input gives it: a count (rounds or final states) and/or the
 * Never/Sometimes/Always verdict, and its grade when known.
 */
public record OutcomeRecord(String id, Long count, Observation observation, Grade grade, Position where) {

    /** The verdict: as stated, or from the count over {@code rounds}. */
    public Observation observation(long rounds) {
        if (observation != null) return observation;
        long c = count == null ? 0 : count;
        if (rounds <= 0) return c > 0 ? Observation.Sometimes : Observation.Never;
        return Observation.of(c, rounds);
    }

    public long countOrZero() { return count == null ? 0 : count; }
}
