package org.gpcrace.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.bridge.ProbeNative;
import org.gpcrace.result.LatencyExtra;

/**
 * `clock`: the probe clock itself. The TSC frequency (calibrated against CLOCK_MONOTONIC), the
 * cost and smallest step of rdtsc, rdtscp, lfence;rdtsc, clock_gettime(CLOCK_MONOTONIC) and
 * System.nanoTime (back-to-back reads), and a bound on the TSC offset between the measuring CPU
 * and the first helper CPU (the stamps of the shootdown and futex probes cross CPUs).
 */
public final class ClockProbe implements LatencyProbe {
    static final long JIT_WARMUP = 200_000;

    @Override public String id() { return "clock"; }

    @Override public String description() {
        return "TSC frequency, cost and resolution of rdtsc(p), clock_gettime, System.nanoTime; cross-CPU TSC offset";
    }

    @Override public void run(ProbeContext ctx) throws Exception {
        ProbeClock clock = ctx.clock();
        LatencyOptions o = ctx.options();
        IntervalLog log = ctx.newLog(id());
        TestBuilder t = ctx.test("latency-clock", Map.of());
        Map<String, Object> perRead = new LinkedHashMap<>();
        Map<String, Object> minStep = new LinkedHashMap<>();
        if (clock.tsc()) {
            t.figure("tscHz", clock.hz(), "Hz").figure("calibrationSpreadPpm", clock.spreadPpm(), "ppm");
            t.note(String.format("TSC %.3f MHz: median of %d x %d ms windows against CLOCK_MONOTONIC, spread %.1f ppm; rdtscp %s",
                    clock.hz() / 1e6, ProbeClock.WINDOWS, ProbeClock.WINDOW_NS / 1_000_000, clock.spreadPpm(),
                    clock.rdtscp() ? "available" : "absent (end stamps use lfence;rdtsc;lfence)"));
            nativeReads(ctx, t, log, "rdtsc", ProbeNative.CLOCK_RDTSC, perRead, minStep);
            nativeReads(ctx, t, log, "rdtscp;lfence", ProbeNative.CLOCK_RDTSCP, perRead, minStep);
            nativeReads(ctx, t, log, "lfence;rdtsc", ProbeNative.CLOCK_LFENCE_RDTSC, perRead, minStep);
        } else {
            t.note("no invariant TSC: every probe times with CLOCK_MONOTONIC");
        }
        nativeReads(ctx, t, log, "clock_gettime(MONOTONIC)", ProbeNative.CLOCK_MONOTONIC, perRead, minStep);
        nanoTimeReads(ctx, t, log, perRead, minStep);
        List<LatencyExtra.ClockRead> reads = new ArrayList<>();
        perRead.forEach((k, v) -> reads.add(new LatencyExtra.ClockRead(k, (Double) v, (Long) minStep.get(k))));
        List<String> costs = new ArrayList<>();
        perRead.forEach((k, v) -> costs.add(String.format("%s %.2f ns (step >= %s ns)", k, (Double) v, minStep.get(k))));
        t.note("back-to-back reads, per read: " + String.join(", ", costs));
        if (clock.tsc()) t.note("plain rdtsc is not ordered: two reads may execute together (a 0 ns step); the probes use the fenced forms");
        LatencyExtra.TscOffset offset = null;
        if (clock.tsc() && !o.helperCpus().isEmpty()) offset = crossCpu(ctx, t, log);
        else t.note("cross-CPU TSC offset: not measured (" + (clock.tsc() ? "one CPU in --cpus" : "no TSC") + ")");
        t.note("probes time with: " + clock.label());
        List<Long> windows = new ArrayList<>();
        for (long w : clock.windowsHz()) windows.add(w);
        t.clock(new LatencyExtra.ClockInfo(ctx.host().invariantTsc(), clock.hz(), windows, clock.spreadPpm(), clock.rdtscp(), reads, offset));
        ctx.saveLog(id(), log).forEach(f -> t.file(ctx.relative(f)));
        ctx.emit(t.build());
    }

    private static void nativeReads(ProbeContext ctx, TestBuilder t, IntervalLog log, String name, int which,
            Map<String, Object> perRead, Map<String, Object> minStep) {
        Budget b = ctx.budget();
        try (NativeRun run = new NativeRun(ctx.bridge(), ProbeNative.CLOCK_READS, b.bufferCapacity())) {
            run.variant(which).cpu(ctx.options().measuringCpu());
            Recorder r = new Recorder(List.of(name), log);
            long[] acc = {0, 0, Long.MAX_VALUE};
            ProbeLoop.Stats s = ProbeLoop.run(b, run.buffer(), run, (buf, n) -> {
                acc[0] += run.elapsedNs();
                acc[1] += n;
                acc[2] = Math.min(acc[2], run.minGapNs());
            }, r);
            t.add(r, which == ProbeNative.CLOCK_MONOTONIC ? ProbeClock.MONOTONIC : ctx.clock().label(), s);
            perRead.put(name, acc[1] == 0 ? 0.0 : (double) acc[0] / acc[1]);
            minStep.put(name, acc[2]);
        }
    }

    /** System.nanoTime read back to back from Java, stored in the same kind of buffer. */
    private static void nanoTimeReads(ProbeContext ctx, TestBuilder t, IntervalLog log, Map<String, Object> perRead,
            Map<String, Object> minStep) {
        Budget b = ctx.budget();
        try (SampleBuffer buf = new SampleBuffer(1, b.bufferCapacity())) {
            long[] st = {System.nanoTime(), 0, 0, Long.MAX_VALUE, 0}; // prev, span, count, min step, last chunk's span
            ProbeLoop.Chunk chunk = n -> {
                for (long i = 0; i < n; i++) buf.set(0, n, i, System.nanoTime());
                long prev = st[0];
                long first = prev;
                for (long i = 0; i < n; i++) {
                    long v = buf.get(0, n, i);
                    long d = v - prev;
                    if (d > 0 && d < st[3]) st[3] = d;
                    buf.set(0, n, i, d);
                    prev = v;
                }
                st[4] = prev - first;
                st[0] = prev;
            };
            Recorder r = new Recorder(List.of("System.nanoTime"), log);
            // JIT first: an interpreted loop would time the interpreter, not the clock
            ProbeLoop.Stats s = ProbeLoop.run(b.withWarmup(Math.max(b.warmup(), JIT_WARMUP)), buf, n -> {
                st[0] = System.nanoTime(); // a chunk's first delta must not span the recording of the last
                chunk.run(n);
            }, (x, n) -> { // measured chunks only
                st[1] += st[4];
                st[2] += n;
            }, r);
            t.add(r, ProbeClock.NANOTIME, s);
            perRead.put("System.nanoTime", st[2] == 0 ? 0.0 : (double) st[1] / st[2]);
            minStep.put("System.nanoTime", st[3]);
        }
    }

    private static LatencyExtra.TscOffset crossCpu(ProbeContext ctx, TestBuilder t, IntervalLog log) {
        LatencyOptions o = ctx.options();
        int a = o.measuringCpu(), h = o.helperCpus().get(0);
        try (NativeRun run = new NativeRun(ctx.bridge(), ProbeNative.TSC_SKEW, ctx.budget().bufferCapacity())) {
            run.cpu(a).helpers(List.of(h));
            Recorder r = new Recorder(List.of("TSC stamp seen cpu" + a + "->cpu" + h, "TSC stamp seen cpu" + h + "->cpu" + a), log);
            ProbeLoop.Stats s = ProbeLoop.run(ctx.budget(), run.buffer(), run, r);
            t.add(r, ctx.clock().label(), s);
            long ab = r.minSigned(0), ba = r.minSigned(1);
            t.note(String.format("cross-CPU TSC offset (cpu%d - cpu%d) lies in (%d, %d) ns%s", h, a, -ba, ab,
                    ab < 0 || ba < 0 ? "  !!! the TSCs of these CPUs disagree: cross-CPU latencies are offset" : ""));
            return new LatencyExtra.TscOffset(a, h, -ba, ab);
        }
    }
}
