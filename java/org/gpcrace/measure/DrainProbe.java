package org.gpcrace.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.bridge.ProbeNative;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.Table;

/**
 * `drain`: the notifier-start step of each safe protocol with R readers active, on the race
 * engine's primitives: write_lock of the rwlock (spin and sleeping kinds) and synchronize_srcu
 * (seqcount-srcu). Each reader, pinned to its own CPU, holds its read-side section
 * {@link #HOLD_NS} and re-enters at once; the step starts half a hold after every reader has
 * entered a fresh section. This is how long an invalidation waits for the GPC's readers.
 */
public final class DrainProbe implements LatencyProbe {
    static final long HOLD_NS = 1000;
    static final String WAITED_TABLE = "waited for readers";
    static final String[] KINDS = {"rwlock-spin", "rwlock-sleeping", "seqcount-srcu"};
    static final String[] STEPS = {"write_lock (spin rwlock)", "write_lock (sleeping rwlock, futex)",
            "synchronize_srcu (sleeping wait)"};

    @Override public String id() { return "drain"; }

    @Override public String description() {
        return "notifier start with R readers inside: rwlock write_lock (spin, sleeping), synchronize_srcu";
    }

    @Override public void run(ProbeContext ctx) throws Exception {
        LatencyOptions o = ctx.options();
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("steps", List.of(STEPS));
        own.put("readers", o.readers());
        own.put("readerHoldNs", HOLD_NS);
        IntervalLog log = ctx.newLog(id());
        TestBuilder t = ctx.test("latency-drain", own);
        List<Sweep.Growth> growth = new ArrayList<>();
        // readers, then per step kind: steps that waited for readers, steps
        Map<Integer, double[]> waited = new java.util.TreeMap<>();
        try (NativeRun run = new NativeRun(ctx.bridge(), ProbeNative.DRAIN, ctx.budget().bufferCapacity())) {
            run.cpu(o.measuringCpu()).delayNs(HOLD_NS);
            for (int kind = 0; kind < KINDS.length; kind++) {
                run.variant(kind);
                List<Sweep.Point> pts = new ArrayList<>();
                for (int readers : o.readers()) {
                    run.helpers(o.helperCpus().subList(0, readers));
                    Recorder r = new Recorder(List.of(KINDS[kind] + " R=" + readers), log);
                    long[] w = {0, 0};
                    ProbeLoop.Stats s = ProbeLoop.run(ctx.budget(), run.buffer(), run, (b, n) -> {
                        w[0] += run.anomalies();
                        w[1] += n;
                    }, r);
                    LatencySummary l = t.add(r, ctx.clock().label(), s).get(0);
                    pts.add(new Sweep.Point(readers, l));
                    double[] row = waited.computeIfAbsent(readers, x -> new double[1 + 2 * KINDS.length]);
                    row[0] = readers;
                    row[1 + 2 * kind] = w[0];
                    row[2 + 2 * kind] = w[1];
                    t.note(String.format("%-20s R=%d: %s had to wait for readers in %d of %d steps", KINDS[kind], readers,
                            STEPS[kind], w[0], w[1]));
                }
                Sweep sw = new Sweep("drain " + KINDS[kind] + " vs readers", Sweep.Axis.READERS, pts);
                if (pts.size() >= 2) {
                    growth.add(sw.growth());
                    java.nio.file.Path csv = ctx.saveCsv(sw.fileStem(), sw);
                    t.growth(sw.typedGrowth(csv.getFileName().toString())).table(sw.table()).file(ctx.relative(csv));
                }
            }
        }
        List<Table.Column> cols = new ArrayList<>(List.of(new Table.Column("readers", "")));
        for (String k : KINDS) {
            cols.add(new Table.Column(k + " waited", "steps"));
            cols.add(new Table.Column(k + " steps", "steps"));
        }
        List<List<Double>> rows = new ArrayList<>();
        for (double[] r : waited.values()) rows.add(java.util.Arrays.stream(r).boxed().toList());
        t.table(new Table(WAITED_TABLE, "steps that had to wait for readers inside their read-side sections", cols, rows));
        t.notes().addAll(Sweep.growthLines(growth));
        ctx.saveLog(id(), log).forEach(f -> t.file(ctx.relative(f)));
        ctx.emit(t.build());
    }
}
