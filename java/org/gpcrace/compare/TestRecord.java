package org.gpcrace.compare;

import java.util.Map;

/**
 * One test of an input, reduced to what compare needs: identity (name, scenario, params as
 * strings), whether it ran, rounds (final states for a model), outcomes and latencies.
 */
public record TestRecord(String name, String scenario, Map<String, String> params, boolean ran, String note,
        long rounds, Map<String, OutcomeRecord> outcomes, Map<String, LatencyRecord> latencies, Position where) {

    /** "name {k=v, ...}" for messages and the table. */
    public String label() {
        return params.isEmpty() ? name : name + " " + params;
    }
}
