package org.gpcrace.measure;

import java.time.Duration;

/**
 * How long one measurement point runs: exactly {@code iterations} recorded samples, or as many
 * as fit in {@code duration}; {@code warmup} iterations run first and are discarded.
 */
public record Budget(long iterations, Duration duration, long warmup) {
    public Budget {
        if (duration == null && iterations < 1) throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        if (warmup < 0) throw new IllegalArgumentException("warm-up must be >= 0, got " + warmup);
    }

    public static Budget iterations(long n, long warmup) { return new Budget(n, null, warmup); }

    public static Budget duration(Duration d, long warmup) { return new Budget(0, d, warmup); }

    public boolean timed() { return duration != null; }

    public Budget withWarmup(long w) { return new Budget(iterations, duration, w); }

    boolean more(long done, long elapsedNs) {
        return timed() ? elapsedNs < duration.toNanos() : done < iterations;
    }

    /** Samples per chunk buffer: what the run needs, at most 65536 (a timed run may need any number). */
    public int bufferCapacity() {
        long want = timed() ? 65536 : Math.max(iterations, warmup);
        return (int) Math.max(16, Math.min(65536, want));
    }

    public String describe() {
        return (timed() ? duration.toMillis() + " ms per point" : iterations + " iterations per point") + ", warm-up " + warmup;
    }
}
