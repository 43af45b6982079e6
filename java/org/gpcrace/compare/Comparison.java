package org.gpcrace.compare;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gpcrace.result.Grade;
import org.gpcrace.result.Observation;

/**
 * A reference against hardware, per test and outcome, as mcompare7 lays litmus logs from several
 * machines side by side. The reference is a model ({@link #compare}) or, for hosts compared
 * without one, the expectations their tests declare ({@link #compareHosts}, see {@link Declared}).
 * Tests match when their names are equal or when the model test's parameters are all present,
 * with equal values, in the hardware test's (never when a parameter both give differs). Each
 * hardware input (a host) gives one column: the summed count and rounds of its matching tests
 * that ran, judged against the reference on its own; the row's verdict judges all columns
 * together (one host showing what the model forbids is enough).
 */
public final class Comparison {
    private Comparison() {}

    /** One input's numbers for a row: summed over its matching tests that ran. */
    public record Cell(long count, long rounds, int tests) {}

    /** A verdict and the one line that says why (null when nothing needs saying). */
    public record Judged(Verdict verdict, String note) {}

    /**
     * One test and outcome: the reference's claim ({@code model}; null = no claim, any count
     * agrees), each column's numbers ({@code hardware}) and verdict ({@code hosts}), and the
     * verdict over all columns.
     */
    public record Row(String outcome, Grade grade, Observation model, Long modelCount, long modelRounds,
            List<Cell> hardware, Verdict verdict, String note, List<Judged> hosts) {}

    /** A model test with the hardware tests matching it (per input), or a test on one side only. */
    public record Group(TestRecord model, List<List<TestRecord>> hardware, List<Row> rows) {
        public String name() {
            if (model != null) return model.name();
            for (List<TestRecord> l : hardware) if (!l.isEmpty()) return l.getFirst().name();
            return "?";
        }
    }

    public record Percentile(String p, double model, double hardware, double ratio, double errorPct, boolean flagged) {}

    public record LatencyRow(String test, String metric, String unit, String input, String hardwareTest,
            List<Percentile> percentiles, double mpe, double mape, boolean flagged) {}

    /** One percentile of one latency metric of one hardware test: the model's value, each host's, and their spread. */
    public record Spread(String test, String metric, String unit, String percentile, Double model, List<Double> hosts,
            Double min, Double max, Double ratio) {}

    /**
     * @param model    the reference: a model input, or the declared expectations (format DECLARED)
     * @param spreads  latency percentiles per host with min, max and max/min across the hosts
     */
    public record Result(Input model, List<Input> hardware, List<Group> groups, List<LatencyRow> latencies, double tolerancePct,
            List<Spread> spreads) {
        /** Whether the reference is the hosts' declared expectations rather than a model. */
        public boolean declared() { return model.format() == Input.Format.DECLARED; }

        public long count(Verdict v) {
            return groups.stream().flatMap(g -> g.rows().stream()).filter(r -> r.verdict() == v).count();
        }

        public boolean anyUnexpected() { return count(Verdict.UNEXPECTED) > 0; }
    }

    public static Result compare(Input model, List<Input> hardware, double tolerancePct) {
        return compare(model, hardware, tolerancePct, false);
    }

    /**
     * Hosts without a model: each against the expectations its tests declare (the declaration
     * {@link org.gpcrace.result.Grading} grades by), so a FORBIDDEN outcome a test is not declared
     * to show is Unexpected on the host that showed it, and a declared race no host showed is Forgiven.
     */
    public static Result compareHosts(List<Input> hosts, double tolerancePct) {
        hosts.forEach(Comparison::checkUnique);
        Input reference = Declared.reference(hosts);
        return compare(reference, hosts.stream().map(h -> Declared.withRaceRows(h, reference)).toList(), tolerancePct, true);
    }

    private static Result compare(Input model, List<Input> hardware, double tolerancePct, boolean open) {
        checkUnique(model);
        hardware.forEach(Comparison::checkUnique);
        Map<TestRecord, List<List<TestRecord>>> byModel = new IdentityHashMap<>();
        for (TestRecord m : model.tests()) {
            List<List<TestRecord>> cols = new ArrayList<>();
            for (int i = 0; i < hardware.size(); i++) cols.add(new ArrayList<>());
            byModel.put(m, cols);
        }
        List<Group> groups = new ArrayList<>();
        List<Group> unmatched = new ArrayList<>();
        for (int i = 0; i < hardware.size(); i++) {
            for (TestRecord h : hardware.get(i).tests()) {
                TestRecord m = bestMatch(model, h);
                if (m != null) {
                    byModel.get(m).get(i).add(h);
                } else {
                    List<List<TestRecord>> cols = new ArrayList<>();
                    for (int j = 0; j < hardware.size(); j++) cols.add(j == i ? List.of(h) : List.of());
                    List<Judged> per = new ArrayList<>();
                    for (int j = 0; j < hardware.size(); j++) {
                        per.add(new Judged(Verdict.MISSING, j == i ? "no model test matches " + h.label() : "not in this input"));
                    }
                    Row row = new Row("-", null, null, null, 0, cells(cols, null), Verdict.MISSING,
                            "no model test matches " + h.label(), per);
                    unmatched.add(new Group(null, cols, List.of(row)));
                }
            }
        }
        List<LatencyRow> lat = new ArrayList<>();
        for (TestRecord m : model.tests()) {
            List<List<TestRecord>> cols = byModel.get(m);
            groups.add(new Group(m, cols, rows(m, cols, open)));
            lat.addAll(latencies(m, cols, hardware, tolerancePct));
        }
        groups.addAll(unmatched);
        return new Result(model, hardware, groups, lat, tolerancePct, spreads(groups, open));
    }

    static boolean matches(TestRecord m, TestRecord h) {
        for (var e : m.params().entrySet()) {
            String hv = h.params().get(e.getKey());
            if (hv != null && !hv.equals(e.getValue())) return false;
        }
        if (m.scenario() != null && h.scenario() != null && !m.scenario().equals(h.scenario())) return false;
        if (m.name().equals(h.name())) return true;
        return !m.params().isEmpty() && h.params().keySet().containsAll(m.params().keySet());
    }

    private static TestRecord bestMatch(Input model, TestRecord h) {
        List<TestRecord> cands = model.tests().stream().filter(m -> matches(m, h)).toList();
        if (cands.isEmpty()) return null;
        List<TestRecord> named = cands.stream().filter(m -> m.name().equals(h.name())).toList();
        if (named.size() == 1) return named.getFirst();
        int most = cands.stream().mapToInt(m -> m.params().size()).max().orElse(0);
        List<TestRecord> best = cands.stream().filter(m -> m.params().size() == most).toList();
        if (best.size() > 1) {
            throw new InputException(h.where(), "test " + h.label() + " matches several model tests ("
                    + best.get(0).label() + ", " + best.get(1).label() + "): give it the parameters that tell them apart");
        }
        return best.getFirst();
    }

    static void checkUnique(Input in) {
        Map<String, TestRecord> seen = new LinkedHashMap<>();
        for (TestRecord t : in.tests()) {
            String key = t.name() + " " + new java.util.TreeMap<>(t.params());
            TestRecord before = seen.put(key, t);
            if (before != null) {
                throw new InputException(t.where(), "test " + t.label() + " appears twice (also at " + before.where() + ")");
            }
        }
    }

    private static List<Row> rows(TestRecord m, List<List<TestRecord>> cols, boolean open) {
        boolean anyRan = cols.stream().flatMap(List::stream).anyMatch(TestRecord::ran);
        if (!anyRan) {
            String why = cols.stream().flatMap(List::stream).map(TestRecord::note).filter(n -> n != null)
                    .findFirst().orElse("no hardware test matches");
            List<Judged> per = cols.stream().map(l -> new Judged(Verdict.MISSING, missing(l))).toList();
            return List.of(new Row("-", null, null, null, m.rounds(), cells(cols, null), Verdict.MISSING, why, per));
        }
        boolean litmus = isLitmus(m) || cols.stream().flatMap(List::stream).anyMatch(Comparison::isLitmus);
        TestRecord mm = litmus ? aggregate(m) : m;
        List<List<TestRecord>> hh = cols.stream().map(l -> l.stream().filter(TestRecord::ran)
                .map(h -> litmus ? aggregate(h) : h).toList()).toList();
        Set<String> ids = new LinkedHashSet<>(mm.outcomes().keySet());
        hh.forEach(l -> l.forEach(h -> ids.addAll(h.outcomes().keySet())));
        List<Row> rows = new ArrayList<>();
        for (String id : ids) {
            OutcomeRecord mo = mm.outcomes().get(id);
            // a model that does not list an outcome says Never; a declaration that does not claim one says nothing
            Observation obs = mo != null && mo.claims() ? mo.observation(mm.rounds()) : open ? null : Observation.Never;
            Grade grade = mo != null && mo.grade() != null ? mo.grade() : hardwareGrade(hh, id);
            List<Cell> cells = cells(hh, id);
            Row r = judge(id, grade, obs, mo == null ? null : mo.count(), mm.rounds(), cells, mo == null);
            List<Judged> per = new ArrayList<>(r.hosts());
            for (int i = 0; i < per.size(); i++) if (cells.get(i) == null) per.set(i, new Judged(Verdict.MISSING, missing(cols.get(i))));
            rows.add(new Row(r.outcome(), r.grade(), r.model(), r.modelCount(), r.modelRounds(), r.hardware(), r.verdict(), r.note(), per));
        }
        return rows;
    }

    /** Why a column has nothing for a test: its tests' skip reasons (or errors), or that it has none. */
    private static String missing(List<TestRecord> column) {
        if (column.isEmpty()) return "no such test in this input";
        return column.stream().filter(t -> !t.ran()).map(t -> t.note() == null ? "did not run" : t.note()).distinct()
                .reduce((a, b) -> a + "; " + b).orElse("did not run");
    }

    private static Grade hardwareGrade(List<List<TestRecord>> hh, String id) {
        return hh.stream().flatMap(List::stream).map(h -> h.outcomes().get(id)).filter(o -> o != null && o.grade() != null)
                .map(OutcomeRecord::grade).findFirst().orElse(null);
    }

    private static List<Cell> cells(List<List<TestRecord>> cols, String id) {
        List<Cell> out = new ArrayList<>();
        for (List<TestRecord> l : cols) {
            List<TestRecord> ran = l.stream().filter(TestRecord::ran).toList();
            if (ran.isEmpty() || id == null) { out.add(null); continue; }
            long c = 0, r = 0;
            for (TestRecord h : ran) {
                OutcomeRecord o = h.outcomes().get(id);
                c = Math.addExact(c, o == null ? 0 : o.countOrZero());
                r = Math.addExact(r, h.rounds());
            }
            out.add(new Cell(c, r, ran.size()));
        }
        return out;
    }

    /**
     * The verdict of one outcome over all columns, and of each column alone (null cells: Missing).
     * {@code model} null: the reference makes no claim, and any count agrees.
     */
    static Row judge(String id, Grade grade, Observation model, Long modelCount, long modelRounds, List<Cell> cells, boolean unlisted) {
        Judged all = verdict(model, cells, unlisted);
        List<Judged> per = new ArrayList<>();
        for (Cell c : cells) per.add(c == null ? new Judged(Verdict.MISSING, null) : verdict(model, java.util.Collections.singletonList(c), unlisted));
        return new Row(id, grade, model, modelCount, modelRounds, cells, all.verdict(), all.note(), per);
    }

    private static Judged verdict(Observation model, List<Cell> cells, boolean unlisted) {
        if (model == null) return new Judged(Verdict.AGREE, null);
        long seen = 0, rounds = 0, missedRounds = 0;
        for (Cell c : cells) {
            if (c == null) continue;
            seen += c.count();
            rounds += c.rounds();
            missedRounds += Math.max(0, c.rounds() - c.count());
        }
        String unl = unlisted ? " (the model does not list it)" : "";
        return switch (model) {
            case Never -> seen > 0
                    ? new Judged(Verdict.UNEXPECTED, "hardware shows it " + seen + " time" + (seen == 1 ? "" : "s") + ", the model says Never" + unl)
                    : new Judged(Verdict.AGREE, null);
            case Always -> missedRounds > 0
                    ? new Judged(Verdict.UNEXPECTED, missedRounds + " hardware round" + (missedRounds == 1 ? "" : "s") + " without it, the model says Always")
                    : new Judged(Verdict.AGREE, null);
            case Sometimes -> seen > 0 ? new Judged(Verdict.AGREE, null) : new Judged(Verdict.FORGIVEN, forgiven(rounds));
        };
    }

    /** Not seen in N rounds: by the rule of three its rate is below 3/N at 95% confidence. */
    static String forgiven(long rounds) {
        if (rounds <= 0) return "no hardware rounds";
        return String.format("not seen in %d rounds: rate < %.3g per round (95%%, 3/N)", rounds, 3.0 / rounds);
    }

    private static boolean isLitmus(TestRecord t) {
        return t.outcomes().size() == 1 && t.outcomes().containsKey(LitmusLog.OUTCOME);
    }

    /** A test reduced to litmus's one condition: some FORBIDDEN outcome. */
    private static TestRecord aggregate(TestRecord t) {
        if (isLitmus(t)) return t;
        long sum = 0;
        boolean anyAlways = false, allNever = true;
        for (OutcomeRecord o : t.outcomes().values()) {
            if (o.grade() != Grade.FORBIDDEN) continue;
            sum = Math.min(Long.MAX_VALUE / 2, sum + o.countOrZero());
            Observation obs = o.observation(t.rounds());
            anyAlways |= obs == Observation.Always;
            allNever &= obs == Observation.Never;
        }
        Observation obs = anyAlways ? Observation.Always : allNever ? Observation.Never : Observation.Sometimes;
        long count = t.rounds() > 0 ? Math.min(sum, t.rounds()) : sum;
        boolean counted = t.outcomes().values().stream().anyMatch(o -> o.count() != null);
        OutcomeRecord agg = new OutcomeRecord(LitmusLog.OUTCOME, counted ? count : null, obs, Grade.FORBIDDEN, t.where());
        return t.withOutcomes(Map.of(LitmusLog.OUTCOME, agg));
    }

    private static List<LatencyRow> latencies(TestRecord m, List<List<TestRecord>> cols, List<Input> hardware, double tol) {
        List<LatencyRow> out = new ArrayList<>();
        for (LatencyRecord ml : m.latencies().values()) {
            for (int i = 0; i < cols.size(); i++) {
                for (TestRecord h : cols.get(i)) {
                    LatencyRecord hl = h.latencies().get(ml.metric());
                    if (hl == null || !h.ran()) continue;
                    if (!hl.unit().equals(ml.unit())) {
                        throw new InputException(hl.where(), "latency " + ml.metric() + " in '" + hl.unit()
                                + "' where the model gives '" + ml.unit() + "' (" + ml.where() + ")");
                    }
                    List<Percentile> ps = new ArrayList<>();
                    double sum = 0, abs = 0;
                    boolean flagged = false;
                    for (String p : LatencyRecord.PERCENTILES) {
                        Double mv = ml.percentiles().get(p), hv = hl.percentiles().get(p);
                        if (mv == null || hv == null || mv <= 0) continue;
                        double err = (hv - mv) / mv * 100;
                        boolean f = Math.abs(err) > tol;
                        flagged |= f;
                        ps.add(new Percentile(p, mv, hv, hv / mv, err, f));
                        sum += err;
                        abs += Math.abs(err);
                    }
                    if (ps.isEmpty()) continue;
                    out.add(new LatencyRow(m.name(), ml.metric(), ml.unit(), hardware.get(i).shortName(), h.name(), ps,
                            sum / ps.size(), abs / ps.size(), flagged));
                }
            }
        }
        return out;
    }

    /**
     * Per hardware test, metric and percentile: the value on each host (null where it did not run
     * or has no such metric), the model's where it gives one, and min, max and max/min over the hosts.
     */
    private static List<Spread> spreads(List<Group> groups, boolean declared) {
        List<Spread> out = new ArrayList<>();
        for (Group g : groups) {
            Set<String> names = new LinkedHashSet<>();
            g.hardware().forEach(l -> l.forEach(t -> names.add(t.name())));
            for (String name : names) {
                List<TestRecord> byHost = new ArrayList<>();
                for (List<TestRecord> l : g.hardware()) {
                    byHost.add(l.stream().filter(t -> t.name().equals(name) && t.ran()).findFirst().orElse(null));
                }
                Set<String> metrics = new LinkedHashSet<>();
                byHost.stream().filter(t -> t != null).forEach(t -> metrics.addAll(t.latencies().keySet()));
                for (String metric : metrics) {
                    String unit = null;
                    for (TestRecord t : byHost) {
                        LatencyRecord l = t == null ? null : t.latencies().get(metric);
                        if (l == null) continue;
                        if (unit != null && !unit.equals(l.unit())) {
                            throw new InputException(l.where(), "latency " + metric + " in '" + l.unit() + "' where another host gives '" + unit + "'");
                        }
                        unit = l.unit();
                    }
                    LatencyRecord ml = declared || g.model() == null ? null : g.model().latencies().get(metric);
                    for (String p : LatencyRecord.PERCENTILES) {
                        List<Double> vs = new ArrayList<>();
                        for (TestRecord t : byHost) {
                            LatencyRecord l = t == null ? null : t.latencies().get(metric);
                            vs.add(l == null ? null : l.percentiles().get(p));
                        }
                        List<Double> present = vs.stream().filter(v -> v != null).toList();
                        if (present.isEmpty()) continue;
                        double min = present.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                        double max = present.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                        Double model = ml == null || !ml.unit().equals(unit) ? null : ml.percentiles().get(p);
                        out.add(new Spread(name, metric, unit, p, model, java.util.Collections.unmodifiableList(vs), min, max,
                                min > 0 ? max / min : null));
                    }
                }
            }
        }
        return out;
    }
}
