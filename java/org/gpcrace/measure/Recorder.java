package org.gpcrace.measure;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.gpcrace.result.LatencySummary;

/**
 * Records the series of a probe into preallocated HdrHistograms (3 significant digits, 1 ns to
 * 100 s): one interval histogram per series, reset per chunk, added to the series total and
 * written to the interval log. Nothing is allocated per sample. A negative sample is not a
 * latency: it is counted (some probes give them a meaning) and the smallest one kept; a sample
 * above 100 s is recorded as 100 s and counted as clamped.
 */
public final class Recorder {
    public static final long HIGHEST_NS = 100_000_000_000L;
    public static final int SIGNIFICANT_DIGITS = 3;

    private final String[] metrics;
    private final String[] tags;
    private final Histogram[] totals;
    private final Histogram[] interval;
    private final long[] negatives;
    private final long[] minSigned;
    private final long[] clamped;
    private final IntervalLog log;
    private long[] scratch = new long[0];

    /** One histogram pair per metric name; the first metrics.size() series of the buffer are recorded. */
    public Recorder(List<String> metrics, IntervalLog log) {
        int n = metrics.size();
        this.metrics = metrics.toArray(String[]::new);
        this.tags = new String[n];
        this.totals = new Histogram[n];
        this.interval = new Histogram[n];
        this.negatives = new long[n];
        this.minSigned = new long[n];
        this.clamped = new long[n];
        this.log = log;
        for (int s = 0; s < n; s++) {
            totals[s] = newHistogram();
            interval[s] = newHistogram();
            tags[s] = IntervalLog.tag(this.metrics[s]);
            minSigned[s] = Long.MAX_VALUE;
        }
    }

    public static Histogram newHistogram() { return new Histogram(1, HIGHEST_NS, SIGNIFICANT_DIGITS); }

    /** Records samples [0, n) of each series; startNano/endNano (System.nanoTime) bound the chunk. */
    public void record(SampleBuffer buffer, long n, long startNano, long endNano) {
        if (scratch.length < buffer.capacity()) scratch = new long[buffer.capacity()]; // once per buffer size
        for (int s = 0; s < metrics.length; s++) {
            Histogram h = interval[s];
            h.reset();
            long min = minSigned[s];
            long[] v0 = scratch;
            buffer.copy(s, n, v0);
            for (int i = 0; i < n; i++) {
                long v = v0[i];
                if (v < min) min = v;
                if (v < 0) {
                    negatives[s]++;
                    continue;
                }
                if (v > HIGHEST_NS) {
                    clamped[s]++;
                    v = HIGHEST_NS;
                }
                h.recordValue(v);
            }
            minSigned[s] = min;
            totals[s].add(h);
            if (log != null) log.write(tags[s], h, startNano, endNano);
        }
    }

    public int size() { return metrics.length; }
    public String metric(int s) { return metrics[s]; }
    public Histogram total(int s) { return totals[s]; }
    public long negatives(int s) { return negatives[s]; }
    /** The smallest sample, negatives included (Long.MAX_VALUE before any). */
    public long minSigned(int s) { return minSigned[s]; }
    public long clamped(int s) { return clamped[s]; }

    public LatencySummary summary(int s, String clock) { return LatencySummary.of(metrics[s], clock, totals[s]); }

    private static volatile boolean warm;

    /**
     * Gets the recording path compiled before anything is measured: an interpreted first chunk
     * would cost about a microsecond per sample and slow the first points' loops. Synthetic
     * samples, a throwaway recorder, once per JVM.
     */
    public static void warmUp() {
        if (warm) return;
        try (SampleBuffer b = new SampleBuffer(1, 4096)) {
            for (int i = 0; i < 4096; i++) b.set(0, 4096, i, 1000 + (i * 7919L) % 100_000);
            Recorder r = new Recorder(List.of("warm-up"), null);
            for (int round = 0; round < 300; round++) r.record(b, 4096, 0, 0);
        }
        warm = true;
    }
}
