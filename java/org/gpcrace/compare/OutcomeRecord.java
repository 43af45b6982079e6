package org.gpcrace.compare;

import org.gpcrace.result.Grade;
import org.gpcrace.result.Observation;

/**
 * One outcome of one test as an input gives it: a count (rounds or final states) and/or the
 * Never/Sometimes/Always verdict, and its grade when known. A reference outcome with neither
 * makes no claim (any count agrees): declared expectations say nothing of acceptable outcomes.
 */
public record OutcomeRecord(String id, Long count, Observation observation, Grade grade, Position where) {

    /** An outcome a reference lists without a claim on how often it shows. */
    static OutcomeRecord noClaim(String id, Grade grade, Position where) {
        return new OutcomeRecord(id, null, null, grade, where);
    }

    /** Whether this says how often the outcome shows (every input outcome does; see {@link #noClaim}). */
    public boolean claims() { return count != null || observation != null; }

    /** The verdict: as stated, or from the count over {@code rounds}. */
    public Observation observation(long rounds) {
        if (observation != null) return observation;
        long c = count == null ? 0 : count;
        if (rounds <= 0) return c > 0 ? Observation.Sometimes : Observation.Never;
        return Observation.of(c, rounds);
    }

    public long countOrZero() { return count == null ? 0 : count; }
}
