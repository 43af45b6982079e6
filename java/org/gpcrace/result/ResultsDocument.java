package org.gpcrace.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The whole results.json. {@code kind} is "hardware" for a run on a machine and "model" for an
 * explorer's (or any simulator's) output; both share this schema (resources/org/gpcrace/results.schema.json).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultsDocument(String schema, String kind, String tool, String createdAt, HostInfo host, RunInfo run,
        List<TestResult> tests) {

    public static final String SCHEMA = "gpcrace-results/2";
    public static final String HARDWARE = "hardware", MODEL = "model";

    public ResultsDocument {
        tests = tests == null ? List.of() : List.copyOf(tests);
    }
}
