package org.gpcrace.compare;

import java.util.Map;
import org.gpcrace.result.Expectation;

/**
 * One test of an input, reduced to what compare needs: identity (name, scenario, params as
 * strings), whether it ran, rounds (final states for a model), outcomes and latencies, and the
 * expectation it declares (null when the input declares none: litmus logs, simulators).
 */
public record TestRecord(String name, String scenario, Map<String, String> params, boolean ran, String note,
        long rounds, Map<String, OutcomeRecord> outcomes, Map<String, LatencyRecord> latencies, Position where,
        Expectation expectation) {

    /** A test that declares no expectation. */
    public TestRecord(String name, String scenario, Map<String, String> params, boolean ran, String note,
            long rounds, Map<String, OutcomeRecord> outcomes, Map<String, LatencyRecord> latencies, Position where) {
        this(name, scenario, params, ran, note, rounds, outcomes, latencies, where, null);
    }

    /** "name {k=v, ...}" for messages and the table. */
    public String label() {
        return params.isEmpty() ? name : name + " " + params;
    }

    /** The same test with other outcomes. */
    TestRecord withOutcomes(Map<String, OutcomeRecord> os) {
        return new TestRecord(name, scenario, params, ran, note, rounds, os, latencies, where, expectation);
    }
}
