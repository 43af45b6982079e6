package org.gpcrace.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.ProbeNative;
import org.gpcrace.result.LatencyExtra;
import org.gpcrace.sys.Backing;
import org.gpcrace.bridge.Linux;

/**
 * `bridge`: the same call made from C directly, from Java through FFM and through JNA: the
 * helper's no-op (gpcrace_noop), getpid(), and madvise(MADV_DONTNEED) of one (already empty)
 * page. One sample = mean ns per call over a batch, stamped with CLOCK_MONOTONIC on both sides
 * (clock_gettime in C, System.nanoTime in Java), back to back, on the measuring CPU; the three
 * run in turns of 50 samples so a drift of the machine hits them alike. The FFM
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
        TestBuilder t = ctx.test("latency-bridge", own);
        IntervalLog log = ctx.newLog(id());
        List<LatencyExtra.CallCost> means = new java.util.ArrayList<>();
        Exception[] failure = {null};
        // a thread of its own, pinned like the native probes, so the Java caller's affinity is untouched
        Thread th = new Thread(() -> {
            try {
                if (ctx.options().measuringCpu() >= 0) ctx.mm().jvmBridge().pinToCpu(ctx.options().measuringCpu());
                measureAll(ctx, t, log, means);
            } catch (Exception e) {
                failure[0] = e;
            }
        }, "gpcrace-bridge-probe");
        th.start();
        th.join();
        if (failure[0] != null) throw failure[0];
        t.bridgeCosts(means);
        t.note("the bridge probe measures the JVM's own bridges: its C baseline runs in the JVM as well, whatever --isolation says");
        ctx.saveLog(id(), log).forEach(f -> t.file(ctx.relative(f)));
        ctx.emit(t.build());
    }

    private static void measureAll(ProbeContext ctx, TestBuilder t, IntervalLog log, List<LatencyExtra.CallCost> means) {
        NativeBridge ffm = Bridges.open("ffm"), jna = Bridges.open("jna");
        Budget b = ctx.budget();
        int cap = (int) Math.min(b.bufferCapacity(), ProbeLoop.TURN);
        NativeBridge jvm = ctx.mm().jvmBridge();
        try (ProbeMemory m = ProbeMemory.map(jvm, Backing.ANON, Linux.PAGE_SIZE);
                NativeRun c = new NativeRun(jvm, ProbeNative.BRIDGE_C, cap);
                SampleBuffer fb = new SampleBuffer(1, cap);
                SampleBuffer jb = new SampleBuffer(1, cap)) {
            for (int call = 0; call < CALLS.length; call++) {
                int batch = BATCH[call], k = call;
                c.variant(call).batch(batch).addr(m.base()).cpu(ctx.options().measuringCpu());
                long[] ns = new long[3], last = new long[3]; // total ns of measured chunks; the last chunk's ns
                List<Recorder> rec = List.of(new Recorder(List.of(CALLS[call] + " C"), log),
                        new Recorder(List.of(CALLS[call] + " FFM"), log), new Recorder(List.of(CALLS[call] + " JNA"), log));
                List<ProbeLoop.Stats> stats = ProbeLoop.interleaved(b, List.of(
                        new ProbeLoop.Variant(c.buffer(), c, (x, n) -> ns[0] += c.elapsedNs(), rec.get(0)),
                        new ProbeLoop.Variant(fb, n -> last[1] = JavaCalls.run(ffm, k, batch, m.base(), fb, n), (x, n) -> ns[1] += last[1], rec.get(1)),
                        new ProbeLoop.Variant(jb, n -> last[2] = JavaCalls.run(jna, k, batch, m.base(), jb, n), (x, n) -> ns[2] += last[2], rec.get(2))));
                t.add(rec.get(0), ProbeClock.MONOTONIC, stats.get(0));
                t.add(rec.get(1), ProbeClock.NANOTIME, stats.get(1));
                t.add(rec.get(2), ProbeClock.NANOTIME, stats.get(2));
                double calls = (double) stats.get(0).samples() * batch;
                double cMean = ns[0] / calls, ffmMean = ns[1] / calls, jnaMean = ns[2] / calls;
                long cP50 = rec.get(0).total(0).getValueAtPercentile(50), fP50 = rec.get(1).total(0).getValueAtPercentile(50),
                        jP50 = rec.get(2).total(0).getValueAtPercentile(50);
                means.add(new LatencyExtra.CallCost(CALLS[call], batch, cMean, ffmMean, jnaMean, cP50, fP50, jP50));
                t.note(String.format("%-10s per call, p50 (mean): C %d (%.2f) ns, FFM %d (%.2f) ns, JNA %d (%.2f) ns;"
                        + " overhead vs C, p50 (mean): FFM %+d (%+.2f) ns, JNA %+d (%+.2f) ns", CALLS[call], cP50, cMean, fP50,
                        ffmMean, jP50, jnaMean, fP50 - cP50, ffmMean - cMean, jP50 - cP50, jnaMean - cMean));
            }
        }
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
