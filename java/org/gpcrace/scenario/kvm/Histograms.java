package org.gpcrace.scenario.kvm;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** Latency histograms of the kernel scenarios: ns, 3 significant digits, up to 60 s, allocated once. */
public final class Histograms {
    private Histograms() {}

    static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);
    /** Recorded with every latency: the time base of the [start, end] pairs. */
    public static final String CLOCK = "CLOCK_MONOTONIC (System.nanoTime)";

    public static Histogram ns() { return new Histogram(HIGHEST_NS, 3); }

    /** Records without allocating; values past the range are clamped to it (and still counted). */
    public static void record(Histogram h, long ns) { h.recordValue(Math.max(0, Math.min(ns, HIGHEST_NS))); }
}
