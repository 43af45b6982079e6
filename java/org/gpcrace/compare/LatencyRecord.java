package org.gpcrace.compare;

import java.util.Map;

/** One latency metric of one test: its unit and the percentiles the input gives (p50, p90, p99, p999). */
public record LatencyRecord(String metric, String unit, Map<String, Double> percentiles, Position where) {
    public static final java.util.List<String> PERCENTILES = java.util.List.of("p50", "p90", "p99", "p999");
}
