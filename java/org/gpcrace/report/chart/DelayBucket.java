package org.gpcrace.report.chart;

/**
 * One bucket of a race-window map: the rounds whose invalidator started between
 * {@code startNs} and {@code startNs + widthNs}, and how many of them ended FORBIDDEN.
 */
public record DelayBucket(long startNs, long widthNs, long rounds, long forbidden) {
    public DelayBucket {
        if (widthNs <= 0) throw new IllegalArgumentException("bucket width must be > 0 ns, got " + widthNs);
        if (rounds < 0 || forbidden < 0 || forbidden > rounds) {
            throw new IllegalArgumentException("bucket at " + startNs + " ns: " + forbidden + " forbidden of " + rounds + " rounds");
        }
    }

    double centreNs() { return startNs + widthNs / 2.0; }
}
