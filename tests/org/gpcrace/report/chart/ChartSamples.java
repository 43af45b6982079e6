package org.gpcrace.report.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;

/** Deterministic data shaped like gpcrace's: latency tails, sweeps, a race window, outcome counts. */
final class ChartSamples {
    private ChartSamples() {}

    /** Log-normal latencies around {@code medianNs} with a rare slow mode 20x slower. */
    static Histogram latency(long seed, double medianNs, int count) {
        Random r = new Random(seed);
        Histogram h = new Histogram(3);
        for (int i = 0; i < count; i++) {
            double v = medianNs * Math.exp(0.35 * r.nextGaussian());
            if (r.nextInt(1000) == 0) v *= 20;
            h.recordValue(Math.max(1, Math.round(v)));
        }
        return h;
    }

    static List<LatencySeries> latencies() {
        return List.of(
                new LatencySeries("madvise(MADV_DONTNEED) 1 page", latency(1, 1_400, 20_000)),
                new LatencySeries("munmap 1 page", latency(2, 2_100, 20_000)),
                new LatencySeries("userfaultfd round trip", latency(3, 6_500, 5_000)),
                new LatencySeries("futex wake", latency(4, 900, 20_000)));
    }

    /** {@code n} series of a sweep over range sizes, cost growing with the size at different rates. */
    static List<XySeries> sweep(int n) {
        double[] pages = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
        List<XySeries> out = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            double[] y = new double[pages.length];
            for (int i = 0; i < pages.length; i++) y[i] = 800 + (s + 1) * 35 * pages[i] * (1 + 0.05 * Math.sin(i + s));
            out.add(new XySeries("invalidation source " + (s + 1) + ": " + (s % 2 == 0 ? "MADV_DONTNEED" : "munmap") + ", " + (1 + s / 2) + " reader CPUs", pages, y));
        }
        return out;
    }

    static List<DelayBucket> raceWindow() {
        long[] rounds = {5200, 5100, 4900, 5050, 4800, 5000, 310, 95, 12, 3};
        long[] forbidden = {0, 0, 14, 260, 410, 95, 4, 0, 0, 0};
        List<DelayBucket> out = new ArrayList<>();
        for (int i = 0; i < rounds.length; i++) out.add(new DelayBucket(i * 250L, 250, rounds[i], forbidden[i]));
        return out;
    }

    static List<Bar> outcomes() {
        return List.of(
                new Bar("clean", 981_234, "ACCEPTABLE", Bar.Tone.GOOD),
                new Bar("stale-visible (read before the invalidation took effect)", 1_870, "ACCEPTABLE_INTERESTING", Bar.Tone.NOTE),
                new Bar("stale-lost", 12, "FORBIDDEN", Bar.Tone.BAD),
                new Bar("use-after-free", 0, "FORBIDDEN", Bar.Tone.BAD));
    }
}
