package org.gpcrace.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.bridge.Bridges;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.ProbeNative;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.Linux;

/**
 * `bridge`: the same call made from C directly, from Java through FFM and through JNA: the
 * helper's no-op (gpcrace_noop), getpid(), and madvise(MADV_DONTNEED) of one (already empty)
 * page. One sample = mean ns per call over a batch, stamped with CLOCK_MONOTONIC on both sides
 * (clock_gettime in C, System.nanoTime in Java), back to back, on the measuring CPU. The FFM
 * no-op and getpid handles capture no errno; madvise's does (as the bridge always calls it).
 */
public final class BridgeProbe implements LatencyProbe {
    static final String[] CALLS = {"noop", "getpid", "madvise 1p"};
    static final int[] BATCH = {1000, 1000, 100};

    @Override public String id() { return "bridge"; }

    @Override public String description() {
        return "per-call cost of a no-op, getpid and a 1-page madvise from C, through FFM and through JNA";
    }

    @Override public void run(ProbeContext ctx) throws Exception {
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("calls", List.of("gpcrace_noop(x)", "getpid()", "madvise(p, 4096, MADV_DONTNEED) of an empty page"));
        own.put("batch", Map.of(CALLS[0], BATCH[0], CALLS[1], BATCH[1], CALLS[2], BATCH[2]));
        TestBuilder t = new TestBuilder("latency-bridge", ctx.params(own));
        IntervalLog log = ctx.newLog(id());
        Map<String, Object> means = new LinkedHashMap<>();
        Exception[] failure = {null};
        // a thread of its own, pinned like the native probes, so the Java caller's affinity is untouched
        Thread th = new Thread(() -> {
            try {
                if (ctx.options().measuringCpu() >= 0) ctx.bridge().pinToCpu(ctx.options().measuringCpu());
                measureAll(ctx, t, log, means);
            } catch (Exception e) {
                failure[0] = e;
            }
        }, "gpcrace-bridge-probe");
        th.start();
        th.join();
        if (failure[0] != null) throw failure[0];
        t.extra("nsPerCall", means);
        t.extra("hlog", ctx.saveLog(id(), log).toString());
        ctx.emit(t.build(), t.notes());
    }

    private static void measureAll(ProbeContext ctx, TestBuilder t, IntervalLog log, Map<String, Object> means) {
        NativeBridge ffm = Bridges.open("ffm"), jna = Bridges.open("jna");
        Budget b = ctx.budget();
        try (ProbeMemory m = ProbeMemory.map(ctx.bridge(), Backing.ANON, Linux.PAGE_SIZE);
                NativeRun c = new NativeRun(ctx.bridge(), ProbeNative.BRIDGE_C, b.bufferCapacity());
                SampleBuffer buf = new SampleBuffer(1, b.bufferCapacity())) {
            for (int call = 0; call < CALLS.length; call++) {
                int batch = BATCH[call];
                long[] acc = {0, 0};
                c.variant(call).batch(batch).addr(m.base()).cpu(ctx.options().measuringCpu());
                Recorder rc = new Recorder(List.of(CALLS[call] + " C"), log);
                t.add(rc, ProbeClock.MONOTONIC, ProbeLoop.run(b, c.buffer(), c, (x, n) -> {
                    acc[0] += c.elapsedNs();
                    acc[1] += n * batch;
                }, rc));
                double cMean = (double) acc[0] / acc[1];
                double ffmMean = java(ctx, t, log, buf, ffm, call, batch, m.base(), "FFM");
                double jnaMean = java(ctx, t, log, buf, jna, call, batch, m.base(), "JNA");
                means.put(CALLS[call], Map.of("c", cMean, "ffm", ffmMean, "jna", jnaMean));
                t.note(String.format("%-10s per call: C %.2f ns, FFM %.2f ns (overhead %+.2f), JNA %.2f ns (overhead %+.2f)",
                        CALLS[call], cMean, ffmMean, ffmMean - cMean, jnaMean, jnaMean - cMean));
            }
        }
    }

    private static double java(ProbeContext ctx, TestBuilder t, IntervalLog log, SampleBuffer buf, NativeBridge br, int call,
            int batch, long page, String label) {
        long[] acc = {0, 0, 0};
        Recorder r = new Recorder(List.of(CALLS[call] + " " + label), log);
        t.add(r, ProbeClock.NANOTIME, ProbeLoop.run(ctx.budget(), buf, n -> acc[2] = JavaCalls.run(br, call, batch, page, buf, n),
                (x, n) -> { // measured chunks only
                    acc[0] += acc[2];
                    acc[1] += n * batch;
                }, r));
        return (double) acc[0] / acc[1];
    }

    /** The Java-side loops: one tight loop per call kind, a System.nanoTime stamp per batch. */
    static final class JavaCalls {
        static long sink;

        private JavaCalls() {}

        /** Fills n samples (mean ns per call of each batch); returns the total ns. */
        static long run(NativeBridge br, int call, int batch, long page, SampleBuffer buf, long n) {
            long first = System.nanoTime(), prev = first, s = 0;
            for (long i = 0; i < n; i++) {
                switch (call) {
                    case ProbeNative.CALL_NOOP -> { for (int j = 0; j < batch; j++) s += br.noop(j); }
                    case ProbeNative.CALL_GETPID -> { for (int j = 0; j < batch; j++) s += br.getpid(); }
                    default -> { for (int j = 0; j < batch; j++) br.madvise(page, Linux.PAGE_SIZE, Linux.MADV_DONTNEED); }
                }
                long now = System.nanoTime();
                buf.set(0, n, i, (now - prev + batch / 2) / batch);
                prev = now;
            }
            sink += s;
            return prev - first;
        }
    }
}
