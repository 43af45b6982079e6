package org.gpcrace.measure;

import java.util.List;

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

    /** What a measured run took: samples recorded, the wall time of the measured chunks, and (native probes) the evidence of isolation. */
    public record Stats(long samples, long wallNs, PointEvidenceLog evidence) {
        public Stats(long samples, long wallNs) { this(samples, wallNs, null); }

        public double seconds() { return wallNs / 1e9; }
        public double ratePerSecond() { return wallNs == 0 ? 0 : samples * 1e9 / wallNs; }
    }

    /** One of several measurements run in turns by {@link #interleaved}. */
    public record Variant(SampleBuffer buffer, Chunk chunk, Inspector inspector, Recorder recorder) {}

    /** Chunk size of {@link #interleaved}: small, so slow drifts of the machine hit every variant alike. */
    static final long TURN = 50;

    private ProbeLoop() {}

    /**
     * Runs several measurements in turns (a chunk of {@link #TURN} samples each, round robin) after
     * warming each up, so that an order effect or a drift of the machine (another job starting, the
     * JIT compiling in the background) does not favour whichever ran first. With a duration budget
     * the whole set runs for that duration times the number of variants.
     */
    public static List<Stats> interleaved(Budget budget, List<Variant> variants) {
        for (Variant v : variants) {
            for (long left = budget.warmup(); left > 0; ) {
                long k = Math.min(left, v.buffer().capacity());
                v.chunk().run(k);
                left -= k;
            }
        }
        long[] wall = new long[variants.size()];
        long start = System.nanoTime(), done = 0;
        long limit = budget.timed() ? budget.duration().toNanos() * variants.size() : 0;
        while (budget.timed() ? System.nanoTime() - start < limit : done < budget.iterations()) {
            long k = budget.timed() ? TURN : Math.min(TURN, budget.iterations() - done);
            for (int i = 0; i < variants.size(); i++) {
                Variant v = variants.get(i);
                long n = Math.min(k, v.buffer().capacity());
                long t0 = System.nanoTime();
                v.chunk().run(n);
                if (v.inspector() != null) v.inspector().inspect(v.buffer(), n);
                v.recorder().record(v.buffer(), n, t0, System.nanoTime());
                wall[i] += System.nanoTime() - t0;
            }
            done += k;
        }
        List<Stats> out = new java.util.ArrayList<>();
        for (long w : wall) out.add(new Stats(done, w));
        return out;
    }

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
        NativeRun nr = chunk instanceof NativeRun n ? n : null;
        if (nr != null) nr.startEvidence();
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
        return new Stats(done, now - start, nr != null ? nr.evidence() : null);
    }
}
