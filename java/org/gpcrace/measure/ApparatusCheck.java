package org.gpcrace.measure;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.ProbeNative;
import org.gpcrace.protocol.Source;
import org.gpcrace.result.LatencyExtra;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.sys.Backing;

/**
 * What the apparatus costs, against a separate plain C process (gpcrace-plain, native/plain),
 * never against a loop inside the measured process, which would pay the same disturbances:
 * <ul>
 * <li>loop rate: the tool's own 1-page DONTNEED + refault loop (native chunks, a time stamp per
 * iteration, histogram recording in Java, everything a user's run does) against will-it-scale's
 * tlb_flush1 loop {@code *p = 1; madvise(p, 4096, MADV_DONTNEED)} in the plain process,
 * alternating, {@link #REPS} runs each. ratio = best tool loops/s divided by best plain loops/s
 * (interference only ever slows a run down, so the best run is the least disturbed one); the
 * ratio of the medians is kept too. Goal: at least {@link #GOAL}.</li>
 * <li>latency: the tool's 1-page DONTNEED "op" point without spinners against the same call timed
 * with the TSC in the plain process, alternating {@link #LATENCY_REPS} times; the medians of the
 * reps' p50 and p90 compared. Goal: within {@link #WITHIN}.</li>
 * </ul>
 */
public final class ApparatusCheck {
    public static final int REPS = 7;
    public static final long ITERATIONS = 20_000;
    public static final double GOAL = 0.97;
    public static final int LATENCY_REPS = 3;
    public static final double WITHIN = 0.10;

    private ApparatusCheck() {}

    public static LatencyExtra.Apparatus loopRate(NativeBridge bridge, int cpu) {
        double[] tool = new double[REPS], plain = new double[REPS];
        Budget budget = Budget.iterations(ITERATIONS, 1000);
        try (ProbeMemory m = ProbeMemory.map(bridge, Backing.ANON, 4096);
                NativeRun run = new NativeRun(bridge, ProbeNative.MADVISE, budget.bufferCapacity())) {
            run.addr(m.base()).length(4096).source(Source.DONTNEED.probeCode())
                    .mode(ProbeNative.MODE_OP_REFAULT).cpu(cpu).helpers(List.of());
            for (int i = 0; i < REPS; i++) {
                plain[i] = PlainProcess.tlbFlush1(ITERATIONS, cpu);
                Recorder r = new Recorder(List.of("apparatus"), null);
                tool[i] = ProbeLoop.run(budget, run.buffer(), run, r).ratePerSecond();
            }
        }
        Arrays.sort(tool);
        Arrays.sort(plain);
        double t = tool[REPS - 1], p = plain[REPS - 1];
        return new LatencyExtra.Apparatus(PlainProcess.command("tlb-flush1", Long.toString(ITERATIONS), Integer.toString(cpu)), t, p,
                t / p, tool[REPS / 2] / plain[REPS / 2], ITERATIONS, REPS, GOAL);
    }

    public static String line(LatencyExtra.Apparatus a) {
        return String.format("apparatus: the tool's 1-page DONTNEED+refault loop %.0f loops/s, a separate plain C process (%s)"
                + " %.0f loops/s: ratio %.3f (goal >= %.2f; best of %d alternating runs of %d iterations on one CPU; ratio of medians %.3f)",
                a.toolLoopsPerSecond(), a.reference(), a.plainLoopsPerSecond(), a.ratio(), a.goal(), a.reps(), a.iterations(), a.medianRatio());
    }

    /** The tool's 1-page DONTNEED op point (no spinner) and the plain process's, alternated; medians of the reps. */
    public static LatencyExtra.PlainComparison latency(NativeBridge bridge, int cpu) {
        long[][] tool = new long[3][LATENCY_REPS], plain = new long[3][LATENCY_REPS];
        Budget budget = Budget.iterations(ITERATIONS, 1000);
        try (ProbeMemory m = ProbeMemory.map(bridge, Backing.ANON, 4096);
                NativeRun run = new NativeRun(bridge, ProbeNative.MADVISE, budget.bufferCapacity())) {
            run.addr(m.base()).length(4096).source(Source.DONTNEED.probeCode()).mode(ProbeNative.MODE_OP).cpu(cpu).helpers(List.of());
            for (int i = 0; i < LATENCY_REPS; i++) {
                Map<String, Double> p = PlainProcess.dontneedOp(ITERATIONS, cpu);
                plain[0][i] = Math.round(p.get("p50"));
                plain[1][i] = Math.round(p.get("p90"));
                plain[2][i] = Math.round(p.get("p99"));
                Recorder r = new Recorder(List.of("dontneed 4K sp0 op (vs plain)"), null);
                ProbeLoop.run(budget, run.buffer(), run, r);
                LatencySummary l = r.summary(0, "tsc");
                tool[0][i] = l.p50();
                tool[1][i] = l.p90();
                tool[2][i] = l.p99();
            }
        }
        long t50 = median(tool[0]), t90 = median(tool[1]), p50 = median(plain[0]), p90 = median(plain[1]);
        return new LatencyExtra.PlainComparison(PlainProcess.command("dontneed-op", Long.toString(ITERATIONS), Integer.toString(cpu)),
                ITERATIONS, LATENCY_REPS, t50, t90, median(tool[2]), p50, p90, median(plain[2]), (double) t50 / p50, (double) t90 / p90, WITHIN);
    }

    public static String line(LatencyExtra.PlainComparison c) {
        return String.format("vs a separate plain C process (%s), 1-page DONTNEED op, no spinner, medians of %d alternating runs:"
                + " p50 %d vs %d ns (x%.3f), p90 %d vs %d ns (x%.3f), p99 %d vs %d ns (goal: p50 and p90 within %.0f%%)",
                c.reference(), c.reps(), c.toolP50(), c.plainP50(), c.p50Ratio(), c.toolP90(), c.plainP90(), c.p90Ratio(), c.toolP99(),
                c.plainP99(), 100 * c.goalWithin());
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
