package org.gpcrace.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One test of a run (a scenario with one set of parameters), as written to results.json.
 * {@code status} is "ran", "skipped" (with {@code skip}) or "failed" (with {@code error}).
 * {@code extra} holds scenario-specific blocks (race-window map, sweeps, ...).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TestResult(
        String name,
        String scenario,
        Map<String, Object> params,
        String status,
        Skip skip,
        String error,
        long rounds,
        double durationSeconds,
        double roundsPerSecond,
        List<OutcomeCount> outcomes,
        FirstForbidden firstForbidden,
        List<LatencySummary> latencies,
        Map<String, Object> extra) {

    /** When and after how many rounds the first FORBIDDEN outcome appeared. */
    public record FirstForbidden(String outcome, long round, double elapsedMs) {}

    public static TestResult skipped(String name, String scenario, Map<String, Object> params, Skip skip) {
        return new TestResult(name, scenario, params, "skipped", skip, null, 0, 0, 0, List.of(), null, List.of(), Map.of());
    }

    public long count(String outcomeId) {
        return outcomes == null ? 0 : outcomes.stream().filter(o -> o.id().equals(outcomeId)).mapToLong(OutcomeCount::count).sum();
    }

    public long forbiddenCount() {
        return outcomes == null ? 0 : outcomes.stream().filter(o -> o.grade() == Grade.FORBIDDEN).mapToLong(OutcomeCount::count).sum();
    }

    public boolean ran() { return "ran".equals(status); }
}
