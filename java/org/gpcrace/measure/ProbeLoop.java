package org.gpcrace.measure;

/**
 * Drives a probe: the warm-up chunks (samples discarded), then measured chunks until the budget
 * is spent, each recorded into the {@link Recorder} (one HdrHistogram interval per chunk).
 * Chunks grow to about {@link #INTERVAL_NS} each, bounded by the sample buffer.
 */
public final class ProbeLoop {
    /** One call that fills the first n samples of each series of the buffer. */
    @FunctionalInterface
    public interface Chunk {
        void run(long n);
    }

    /** Called after each measured chunk, before recording (probes that classify samples). */
    @FunctionalInterface
    public interface Inspector {
        void inspect(SampleBuffer buffer, long n);
    }

    public static final long INTERVAL_NS = 100_000_000;
    static final long FIRST_CHUNK = 16;

    /** What a measured run took: samples recorded and the wall time of the measured chunks. */
    public record Stats(long samples, long wallNs) {
        public double seconds() { return wallNs / 1e9; }
        public double ratePerSecond() { return wallNs == 0 ? 0 : samples * 1e9 / wallNs; }
    }

    private ProbeLoop() {}

    public static Stats run(Budget budget, SampleBuffer buffer, Chunk chunk, Recorder recorder) {
        return run(budget, buffer, chunk, null, recorder);
    }

    public static Stats run(Budget budget, SampleBuffer buffer, Chunk chunk, Inspector inspector, Recorder recorder) {
        int cap = buffer.capacity();
        for (long left = budget.warmup(); left > 0; ) {
            long k = Math.min(left, cap);
            chunk.run(k);
            left -= k;
        }
        long start = System.nanoTime();
        long done = 0, now = start, size = Math.min(FIRST_CHUNK, cap);
        while (budget.more(done, now - start)) {
            long k = budget.timed() ? size : Math.min(size, budget.iterations() - done);
            long t0 = System.nanoTime();
            chunk.run(k);
            if (inspector != null) inspector.inspect(buffer, k);
            recorder.record(buffer, k, t0, System.nanoTime());
            now = System.nanoTime();
            done += k;
            long perIteration = Math.max(1, (now - t0) / k);
            size = Math.max(1, Math.min(cap, INTERVAL_NS / perIteration));
        }
        return new Stats(done, now - start);
    }
}
