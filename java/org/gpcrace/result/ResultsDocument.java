package org.gpcrace.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The whole results.json. {@code kind} is "hardware" for a run on this machine and "model" for
 * the explorer's output; both share this schema (resources/org/gpcrace/results.schema.json).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultsDocument(
        String schema,
        String kind,
        String tool,
        String createdAt,
        Map<String, Object> host,
        Map<String, Object> parameters,
        List<TestResult> tests) {

    public static final String SCHEMA = "gpcrace-results/1";
}
