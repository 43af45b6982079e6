package org.gpcrace.measure;

import org.gpcrace.protocol.Source;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.ProbeNative;
import org.gpcrace.sys.Backing;

/**
 * What the apparatus costs: the tool's own 1-page DONTNEED + refault loop (native chunks, a
 * time stamp per iteration, histogram recording in Java, everything a user's run does) against
 * the plain will-it-scale tlb_flush1 loop {@code *p = 1; madvise(p, 4096, MADV_DONTNEED)} in C,
 * in the same process, alternating, {@link #REPS} runs each. ratio = best tool loops/s divided
 * by best plain loops/s (interference only ever slows a run down, so the best run is the least
 * disturbed one); the medians are kept too. The goal is >= 0.95 (the apparatus costs under 5%).
 */
public final class ApparatusCheck {
    public static final int REPS = 7;
    public static final long ITERATIONS = 20_000;

    public record Result(double toolLoopsPerSecond, double plainLoopsPerSecond, double ratio, double medianRatio,
            long iterations, int reps) {
        public String line() {
            return String.format("apparatus: the tool's 1-page DONTNEED+refault loop %.0f loops/s, plain C loop"
                    + " (*p = 1; madvise(p, 4096, MADV_DONTNEED)) %.0f loops/s: ratio %.3f (goal >= 0.95; best of %d"
                    + " alternating runs of %d iterations on one CPU; ratio of medians %.3f)", toolLoopsPerSecond,
                    plainLoopsPerSecond, ratio, reps, iterations, medianRatio);
        }

        public Map<String, Object> asMap() {
            return Map.of("toolLoopsPerSecond", toolLoopsPerSecond, "plainLoopsPerSecond", plainLoopsPerSecond,
                    "ratio", ratio, "medianRatio", medianRatio, "iterations", iterations, "reps", reps, "goal", 0.95);
        }
    }

    private ApparatusCheck() {}

    public static Result measure(NativeBridge bridge, int cpu) {
        double[] tool = new double[REPS], plain = new double[REPS];
        Budget budget = Budget.iterations(ITERATIONS, 1000);
        try (ProbeMemory m = ProbeMemory.map(bridge, Backing.ANON, 4096);
                NativeRun run = new NativeRun(bridge, ProbeNative.MADVISE, budget.bufferCapacity())) {
            run.addr(m.base()).length(4096).source(Source.DONTNEED.probeCode())
                    .mode(ProbeNative.MODE_OP_REFAULT).cpu(cpu).helpers(List.of());
            ProbeNative pn = bridge.probe();
            plain(bridge, pn, m.base(), 1000, cpu); // warm-up
            for (int i = 0; i < REPS; i++) {
                long ns = plain(bridge, pn, m.base(), ITERATIONS, cpu);
                plain[i] = ITERATIONS * 1e9 / ns;
                Recorder r = new Recorder(List.of("apparatus"), null);
                tool[i] = ProbeLoop.run(budget, run.buffer(), run, r).ratePerSecond();
            }
        }
        Arrays.sort(tool);
        Arrays.sort(plain);
        double t = tool[REPS - 1], p = plain[REPS - 1];
        return new Result(t, p, t / p, tool[REPS / 2] / plain[REPS / 2], ITERATIONS, REPS);
    }

    /** The plain loop, on the CPU the tool's loop runs on. */
    private static long plain(NativeBridge bridge, ProbeNative pn, long addr, long n, int cpu) {
        long ns = pn.plainDontneed(addr, n, cpu);
        if (ns < 0) throw new IllegalStateException("plain DONTNEED loop failed: " + bridge.errnoName((int) -ns));
        return ns;
    }
}
