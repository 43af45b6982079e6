package org.gpcrace.report.chart;

import java.util.Objects;
import org.HdrHistogram.Histogram;

/** A named latency distribution in nanoseconds, drawn as one line of a percentile plot. */
public record LatencySeries(String name, Histogram histogram) {
    public LatencySeries {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(histogram, "histogram");
    }
}
