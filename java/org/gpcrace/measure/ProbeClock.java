package org.gpcrace.measure;

import java.util.Arrays;
import org.gpcrace.bridge.ProbeNative;
import org.gpcrace.sys.HostFacts;

/**
 * The probe clock: the TSC calibrated against CLOCK_MONOTONIC when the CPU advertises an
 * invariant TSC (constant_tsc and nonstop_tsc), CLOCK_MONOTONIC otherwise. Calibration takes
 * the median of five 20 ms windows and reports their spread.
 */
public record ProbeClock(boolean tsc, long hz, double spreadPpm, boolean rdtscp, long[] windowsHz) {
    static final int WINDOWS = 5;
    static final long WINDOW_NS = 20_000_000;

    /** Calibrates and selects the clock in the native helper. */
    public static ProbeClock select(ProbeNative pn, HostFacts host) {
        if (!host.invariantTsc()) {
            pn.clockUse(0);
            return new ProbeClock(false, 0, 0, false, new long[0]);
        }
        long[] hz = new long[WINDOWS];
        for (int i = 0; i < WINDOWS; i++) hz[i] = pn.tscCalibrate(WINDOW_NS);
        long[] sorted = hz.clone();
        Arrays.sort(sorted);
        long median = sorted[WINDOWS / 2];
        if (median <= 0) {
            pn.clockUse(0);
            return new ProbeClock(false, 0, 0, false, hz);
        }
        pn.clockUse(median);
        double spread = 1e6 * (sorted[WINDOWS - 1] - sorted[0]) / (double) median;
        return new ProbeClock(true, median, spread, pn.hasRdtscp(), hz);
    }

    /** What every latency of a probe timed with this clock states. */
    public String label() {
        return tsc ? String.format("tsc %.2f MHz (%s, calibrated against CLOCK_MONOTONIC)", hz / 1e6,
                rdtscp ? "lfence;rdtsc .. rdtscp;lfence" : "lfence;rdtsc .. lfence;rdtsc;lfence") : MONOTONIC;
    }

    public static final String MONOTONIC = "CLOCK_MONOTONIC";
    public static final String NANOTIME = "CLOCK_MONOTONIC (System.nanoTime)";

    @Override public boolean equals(Object o) {
        return o instanceof ProbeClock c && c.tsc == tsc && c.hz == hz && c.rdtscp == rdtscp;
    }

    @Override public int hashCode() { return Long.hashCode(hz) * 31 + (tsc ? 1 : 0); }

    @Override public String toString() { return label(); }
}
