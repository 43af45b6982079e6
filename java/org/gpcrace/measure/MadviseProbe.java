package org.gpcrace.measure;

import org.gpcrace.protocol.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gpcrace.bridge.NativeCallException;
import org.gpcrace.bridge.ProbeNative;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.LatencyExtra;
import org.gpcrace.result.Skip;
import org.gpcrace.result.Table;
import org.gpcrace.sys.Backing;

/**
 * `madvise`: the latency of each invalidation source per call, for every range size of --sizes
 * and every spinner count of --spinners (threads on other CPUs reading the range, so its
 * translations sit in their TLBs and the zap must shoot them down). Each point is measured as
 * the operation alone ("op": the range is repopulated untimed before each call) and as the
 * operation followed by a write touch of every page ("op+refault"). One test per source (and
 * backing); a CSV per sweep and the cost growth per page and per spinner CPU.
 */
public final class MadviseProbe implements LatencyProbe {
    static final String[] MODES = {"op", "op+refault"};

    /** Refusals the kernel means as "not now" (MADV_COLLAPSE returns EAGAIN when it cannot get a huge page): retried. */
    static final java.util.Set<String> TRANSIENT = java.util.Set.of("EAGAIN", "EBUSY");
    static final int ATTEMPTS = 3;

    @Override public String id() { return "madvise"; }

    @Override public String description() {
        return "per-call latency of each invalidation source vs range size and spinner CPUs (op, op+refault)";
    }

    @Override public void run(ProbeContext ctx) throws Exception {
        IntervalLog log = ctx.newLog(id());
        LatencyOptions o = ctx.options();
        for (Source src : o.sources()) {
            List<Backing> backings = o.backings().isEmpty() ? List.of(ProbeSources.naturalBacking(src)) : o.backings();
            for (Backing b : backings) {
                String name = "latency-madvise-" + src.id() + (o.backings().isEmpty() ? "" : "-" + b.id());
                Map<String, Object> params = ctx.params(Map.of("source", src.id(), "backing", b.id()));
                for (int attempt = 1; ; attempt++) {
                    try {
                        runSource(ctx, log, src, b, !o.backings().isEmpty());
                        break;
                    } catch (NativeCallException e) {
                        if (!TRANSIENT.contains(e.errnoName())) {
                            ctx.fail(name, params, e);
                            break;
                        }
                        if (attempt < ATTEMPTS) continue; // MADV_COLLAPSE's EAGAIN: no huge page right now, ask again
                        ctx.skip(name, params, new Skip("the kernel refused " + src.id() + " " + ATTEMPTS + " times in a row with "
                                + e.errnoName() + ", a transient refusal (" + e.getMessage() + ")",
                                "run again on a quieter machine; for collapse free memory or echo 1 > /proc/sys/vm/compact_memory"));
                        break;
                    } catch (RuntimeException e) { // one source failing here does not hide the others
                        ctx.fail(name, params, e);
                        break;
                    }
                }
            }
        }
        if (log.intervals() > 0) ctx.saveLog(id(), log);
    }

    /** The isolation line: where the measured mm was, and the TLB shootdowns per operation of each point without spinners. */
    static void isolationNotes(ProbeContext ctx, TestBuilder t) {
        t.note(ctx.isolationLine());
        StringBuilder b = new StringBuilder();
        for (var p : t.points()) {
            if (!p.metric().contains(" sp0 ")) continue;
            b.append(b.length() == 0 ? "" : ", ").append(String.format("%s %.4f", p.metric(), p.shootdownsPerOperation()));
        }
        if (b.length() > 0) t.note("TLB shootdowns per operation with no spinner (machine-wide, /proc/interrupts): " + b);
    }

    private void runSource(ProbeContext ctx, IntervalLog log, Source src, Backing backing, boolean backingInName)
            throws Exception {
        LatencyOptions o = ctx.options();
        String name = "latency-madvise-" + src.id() + (backingInName ? "-" + backing.id() : "");
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("source", src.id());
        own.put("operation", src.description());
        own.put("backing", backing.id());
        own.put("spinners", o.spinners());
        Optional<Skip> refused = ProbeSources.refusal(src, backing, ctx.host());
        if (refused.isPresent()) {
            ctx.skip(name, ctx.params(own), refused.get());
            return;
        }
        List<Long> sizes = new ArrayList<>();
        List<String> refusedSizes = new ArrayList<>();
        for (long s : o.sizes()) ProbeSources.sizeRefusal(src, backing, s).ifPresentOrElse(refusedSizes::add, () -> sizes.add(s));
        own.put("sizes", sizes.stream().map(Sizes::label).toList());
        if (sizes.isEmpty()) {
            ctx.skip(name, ctx.params(own), new Skip("no size of --sizes applies: " + String.join("; ", refusedSizes),
                    "add sizes that are multiples of 2 MiB (e.g. --sizes 2M,4M)"));
            return;
        }
        TestBuilder t = ctx.test(name, own);
        t.note(src.description() + ", " + backing.id() + " memory; clock: " + ctx.clock().label());
        refusedSizes.forEach(r -> t.note("left out: " + r));
        // points[mode][spinnerIndex][sizeIndex]
        LatencySummary[][][] points = new LatencySummary[2][o.spinners().size()][sizes.size()];
        List<List<Double>> effect = new ArrayList<>();
        int flags = src == Source.COLLAPSE && "always".equals(ctx.host().thpMode()) ? ProbeNative.FLAG_THP_FLIP : 0;
        try (NativeRun run = new NativeRun(ctx.bridge(), ProbeNative.MADVISE, ctx.budget().bufferCapacity())) {
            run.source(src.probeCode()).flags(flags).cpu(o.measuringCpu());
            for (int si = 0; si < sizes.size(); si++) {
                long size = sizes.get(si);
                try (ProbeMemory m = src == Source.COLLAPSE ? ProbeMemory.mapForCollapse(ctx.bridge(), size)
                        : ProbeMemory.map(ctx.bridge(), backing, size)) {
                    run.addr(m.base()).length(size).fd(m.fd()).offset(0);
                    for (int mode = 0; mode < 2; mode++) {
                        for (int k = 0; k < o.spinners().size(); k++) {
                            int sp = o.spinners().get(k);
                            run.mode(mode).helpers(o.helperCpus().subList(0, sp));
                            String metric = src.id() + " " + Sizes.label(size) + " sp" + sp + " " + MODES[mode];
                            Recorder r = new Recorder(List.of(metric), log);
                            ProbeLoop.Stats s = ProbeLoop.run(ctx.budget(), run.buffer(), run, r);
                            points[mode][k][si] = t.add(r, ctx.clock().label(), s).get(0);
                            if (mode == 0 && k == 0) {
                                long pages = size / Sizes.PAGE;
                                effect.add(List.of((double) size, (double) pages, (double) run.resident()));
                                ProbeSources.noEffectNote(src, ctx.host(), run.resident(), pages).ifPresent(n -> t.note(Sizes.label(size) + ": " + n));
                            }
                        }
                    }
                }
            }
        }
        t.table(new Table("resident after operation", "pages of the range still resident right after one more operation, spinners stopped",
                List.of(new Table.Column("size", "bytes"), new Table.Column("pages", ""), new Table.Column("resident", "")), effect));
        sweeps(ctx, t, src, backingInName ? backing.id() : null, sizes, points);
        isolationNotes(ctx, t);
        if (ctx.crossCheck("trace")) {
            if (src.advice() >= 0) {
                LatencyExtra.TraceCheck c = TraceCrossCheck.run(ctx, src, backing, sizes.get(0));
                t.traceCheck(c).note(TraceCrossCheck.line(c));
                if (c.skipped() == null) t.figure("traceAgreement", c.agreement(), "");
            } else {
                t.note("cross-check trace: " + src.id() + " is not a madvise call (it is traced only for the madvise sources)");
            }
        }
        if (src == Source.DONTNEED && backing == Backing.ANON) {
            var a = ApparatusCheck.loopRate(ctx.bridge(), o.measuringCpu());
            t.apparatus(a).figure("apparatusRatio", a.ratio(), "");
            t.note(ApparatusCheck.line(a));
            if (sizes.contains(Sizes.PAGE) && o.spinners().contains(0)) {
                var c = ApparatusCheck.latency(ctx.bridge(), o.measuringCpu());
                t.plainComparison(c).figure("p50VsPlainC", c.p50Ratio(), "").figure("p90VsPlainC", c.p90Ratio(), "");
                t.note(ApparatusCheck.line(c));
            }
        }
        ctx.emit(t.build());
    }

    /** Size sweeps (per mode and spinner count) and spinner sweeps (per mode and size): CSV and growth. */
    private static void sweeps(ProbeContext ctx, TestBuilder t, Source src, String backing, List<Long> sizes,
            LatencySummary[][][] points) throws Exception {
        List<Integer> spinners = ctx.options().spinners();
        List<Sweep> all = new ArrayList<>();
        String prefix = "madvise-" + src.id() + (backing == null ? "" : "-" + backing);
        for (int mode = 0; mode < 2; mode++) {
            for (int k = 0; k < spinners.size(); k++) {
                List<Sweep.Point> pts = new ArrayList<>();
                for (int si = 0; si < sizes.size(); si++) pts.add(new Sweep.Point(sizes.get(si), points[mode][k][si]));
                all.add(new Sweep(prefix + " " + MODES[mode] + " sp" + spinners.get(k) + " vs size", Sweep.Axis.BYTES, pts));
            }
            for (int si = 0; si < sizes.size(); si++) {
                List<Sweep.Point> pts = new ArrayList<>();
                for (int k = 0; k < spinners.size(); k++) pts.add(new Sweep.Point(spinners.get(k), points[mode][k][si]));
                all.add(new Sweep(prefix + " " + MODES[mode] + " " + Sizes.label(sizes.get(si)) + " vs spinners",
                        Sweep.Axis.SPINNERS, pts));
            }
        }
        List<Sweep.Growth> growth = new ArrayList<>();
        for (Sweep s : all) {
            if (s.points().size() < 2) continue;
            growth.add(s.growth());
            java.nio.file.Path csv = ctx.saveCsv(s.fileStem(), s);
            t.growth(s.typedGrowth(csv.getFileName().toString())).table(s.table()).file(ctx.relative(csv));
        }
        t.notes().addAll(Sweep.growthLines(growth));
    }
}
