package org.gpcrace.compare;

import java.util.Map;

/**
 * One latency metric of one test: its unit, the percentiles the input gives (p50, p90, p99, p999)
 * and, when the input carries it, the encoded HdrHistogram (results.json's {@code hdr}).
 */
public record LatencyRecord(String metric, String unit, Map<String, Double> percentiles, Position where, String hdr) {
    public static final java.util.List<String> PERCENTILES = java.util.List.of("p50", "p90", "p99", "p999");

    public LatencyRecord(String metric, String unit, Map<String, Double> percentiles, Position where) {
        this(metric, unit, percentiles, where, null);
    }
}
