package org.gpcrace.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.bridge.ProbeNative;
import org.gpcrace.result.Grade;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.Skip;
import org.gpcrace.sys.Backing;

/**
 * `shootdown`: TLB-shootdown visibility. A reader pinned to a helper CPU keeps loading a word of
 * an anonymous page (TSC stamped before and after each load); the measuring CPU zaps the page
 * with madvise(MADV_DONTNEED). Latencies: madvise entry -> end of the reader's first load that
 * sees the new (zero) frame; madvise entry -> return; start of the last load that still saw the
 * old frame -> madvise return. That last margin must never be negative: a load that began after
 * madvise returned and still saw the old frame is a stale translation used after the shootdown
 * (FORBIDDEN). Stamps come from two CPUs, so the check allows the cross-CPU TSC offset, bounded
 * by a ping-pong of stamps between the same two CPUs just before.
 */
public final class ShootdownProbe implements LatencyProbe {
    static final long SKEW_ITERATIONS = 2000;
    private final boolean brokenControl;

    public ShootdownProbe() { this(false); }

    /**
     * With {@code brokenControl} the "zap" is a store of 0 made 5 us after the return stamp,
     * once the reader has loaded again: the negative control (like locktorture's lock_busted)
     * showing the check catches a translation still used after return. Tests only.
     */
    public ShootdownProbe(boolean brokenControl) { this.brokenControl = brokenControl; }

    @Override public String id() { return "shootdown"; }

    @Override public String description() {
        return "visibility of a DONTNEED zap to a reader on another CPU, with the stale-after-return check";
    }

    @Override public void run(ProbeContext ctx) throws Exception {
        LatencyOptions o = ctx.options();
        String name = "latency-shootdown" + (brokenControl ? "-broken-control" : "");
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("operation", brokenControl ? "negative control: store of 0 made 5 us after the return stamp" : "madvise(MADV_DONTNEED) of one page");
        own.put("backing", "anon");
        var skip = ctx.needHelperCpus(1, "the reader runs on another CPU").or(() -> ctx.needTsc("visibility compares stamps of two CPUs"));
        if (skip.isEmpty() && !o.backings().isEmpty() && !o.backings().contains(Backing.ANON)) {
            skip = java.util.Optional.of(new Skip("shootdown runs on anonymous memory only (the reader must see a new, zero frame)",
                    "add anon to --backing"));
        }
        if (skip.isPresent()) {
            ctx.skip(name, ctx.params(own), skip.get());
            return;
        }
        int a = o.measuringCpu(), h = o.helperCpus().get(0);
        own.put("readerCpu", h);
        IntervalLog log = ctx.newLog(id());
        TestBuilder t = ctx.test(name, own);
        long bound = offsetBound(ctx, a, h);
        t.figure("tscOffsetBound", bound, "ns");
        long[] counts = new long[4]; // ordered, within offset, stale after return, visibility before entry
        try (ProbeMemory m = ProbeMemory.map(ctx.bridge(), Backing.ANON, 4096);
                NativeRun run = new NativeRun(ctx.bridge(), ProbeNative.SHOOTDOWN, ctx.budget().bufferCapacity())) {
            run.addr(m.base()).length(4096).cpu(a).helpers(List.of(h)).flags(brokenControl ? ProbeNative.FLAG_BROKEN_CONTROL : 0);
            Recorder r = new Recorder(List.of("visibility (entry->new frame)", "madvise return (entry->return)",
                    "last stale load -> return"), log);
            ProbeLoop.Stats s = ProbeLoop.run(ctx.budget(), run.buffer(), run, (buf, n) -> {
                for (long i = 0; i < n; i++) {
                    long gap = buf.get(2, n, i);
                    if (gap >= 0) counts[0]++;
                    else if (gap >= -bound) counts[1]++;
                    else counts[2]++;
                    if (buf.get(0, n, i) < -bound) counts[3]++;
                }
            }, r);
            t.add(r, ctx.clock().label(), s);
            t.figure("smallestMargin", r.minSigned(2), "ns");
            t.note(String.format("reader on cpu%d, invalidator on cpu%d; cross-CPU TSC offset bound %d ns; smallest margin"
                    + " between the last stale load and madvise return: %d ns", h, a, bound, r.minSigned(2)));
        }
        t.outcome(new OutcomeCount("ordered", counts[0], Grade.ACCEPTABLE,
                "every load that saw the old frame began before madvise returned"));
        t.outcome(new OutcomeCount("within-clock-offset", counts[1], Grade.ACCEPTABLE_INTERESTING,
                "a stale load began after the return stamp by less than the cross-CPU TSC offset bound"));
        t.outcome(new OutcomeCount("stale-after-return", counts[2], Grade.FORBIDDEN,
                "a load began after madvise returned and still saw the old frame: stale translation after the shootdown"));
        t.outcome(new OutcomeCount("harness-inconsistency", counts[3], Grade.FORBIDDEN,
                "the reader saw the new frame before madvise was entered (clock or harness bug)"));
        ctx.saveLog(id(), log).forEach(f -> t.file(ctx.relative(f)));
        ctx.emit(t.build());
    }

    /**
     * How far the helper's TSC can be behind-or-ahead in the direction that matters: a stale load
     * stamped b on the reader vs the return stamped a on the invalidator is certainly after it
     * only when a - b < -min(reader stamp - invalidator stamp seen across).
     */
    private static long offsetBound(ProbeContext ctx, int a, int h) {
        try (NativeRun run = new NativeRun(ctx.bridge(), ProbeNative.TSC_SKEW, (int) SKEW_ITERATIONS)) {
            run.cpu(a).helpers(List.of(h));
            run.run(SKEW_ITERATIONS);
            long min = Long.MAX_VALUE;
            for (long i = 0; i < SKEW_ITERATIONS; i++) min = Math.min(min, run.buffer().get(0, SKEW_ITERATIONS, i));
            return Math.max(0, min);
        }
    }
}
