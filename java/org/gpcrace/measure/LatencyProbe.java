package org.gpcrace.measure;

/** One probe of `gpcrace latency`: measures, then hands each finished test to the context. */
public interface LatencyProbe {
    /** The --probe name. */
    String id();

    /** One line for --help and the README. */
    String description();

    void run(ProbeContext ctx) throws Exception;
}
