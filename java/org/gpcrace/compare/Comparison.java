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
 * Model against hardware, per test and outcome (DESIGN.md section 5). Tests match when their
 * names are equal or when the model test's parameters are all present, with equal values, in
 * the hardware test's (never when a parameter both give differs). Each hardware input gives one
 * column: the summed count and rounds of its matching tests that ran.
 */
public final class Comparison {
    private Comparison() {}

    /** One input's numbers for a row: summed over its matching tests that ran. */
    public record Cell(long count, long rounds, int tests) {}

    public record Row(String outcome, Grade grade, Observation model, Long modelCount, long modelRounds,
            List<Cell> hardware, Verdict verdict, String note) {}

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

    public record Result(Input model, List<Input> hardware, List<Group> groups, List<LatencyRow> latencies, double tolerancePct) {
        public long count(Verdict v) {
            return groups.stream().flatMap(g -> g.rows().stream()).filter(r -> r.verdict() == v).count();
        }

        public boolean anyUnexpected() { return count(Verdict.UNEXPECTED) > 0; }
    }

    public static Result compare(Input model, List<Input> hardware, double tolerancePct) {
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
                    Row row = new Row("-", null, null, null, 0, cells(cols, null), Verdict.MISSING,
                            "no model test matches " + h.label());
                    unmatched.add(new Group(null, cols, List.of(row)));
                }
            }
        }
        List<LatencyRow> lat = new ArrayList<>();
        for (TestRecord m : model.tests()) {
            List<List<TestRecord>> cols = byModel.get(m);
            groups.add(new Group(m, cols, rows(m, cols)));
            lat.addAll(latencies(m, cols, hardware, tolerancePct));
        }
        groups.addAll(unmatched);
        return new Result(model, hardware, groups, lat, tolerancePct);
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

    private static void checkUnique(Input in) {
        Map<String, TestRecord> seen = new LinkedHashMap<>();
        for (TestRecord t : in.tests()) {
            String key = t.name() + " " + new java.util.TreeMap<>(t.params());
            TestRecord before = seen.put(key, t);
            if (before != null) {
                throw new InputException(t.where(), "test " + t.label() + " appears twice (also at " + before.where() + ")");
            }
        }
    }

    private static List<Row> rows(TestRecord m, List<List<TestRecord>> cols) {
        boolean anyRan = cols.stream().flatMap(List::stream).anyMatch(TestRecord::ran);
        if (!anyRan) {
            String why = cols.stream().flatMap(List::stream).map(TestRecord::note).filter(n -> n != null)
                    .findFirst().orElse("no hardware test matches");
            return List.of(new Row("-", null, null, null, m.rounds(), cells(cols, null), Verdict.MISSING, why));
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
            Observation obs = mo == null ? Observation.Never : mo.observation(mm.rounds());
            Grade grade = mo != null && mo.grade() != null ? mo.grade() : hardwareGrade(hh, id);
            List<Cell> cells = cells(hh, id);
            rows.add(judge(id, grade, obs, mo == null ? null : mo.count(), mm.rounds(), cells, mo == null));
        }
        return rows;
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

    static Row judge(String id, Grade grade, Observation model, Long modelCount, long modelRounds, List<Cell> cells, boolean unlisted) {
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
                    ? new Row(id, grade, model, modelCount, modelRounds, cells, Verdict.UNEXPECTED,
                            "hardware shows it " + seen + " time" + (seen == 1 ? "" : "s") + ", the model says Never" + unl)
                    : new Row(id, grade, model, modelCount, modelRounds, cells, Verdict.AGREE, null);
            case Always -> missedRounds > 0
                    ? new Row(id, grade, model, modelCount, modelRounds, cells, Verdict.UNEXPECTED,
                            missedRounds + " hardware round" + (missedRounds == 1 ? "" : "s") + " without it, the model says Always")
                    : new Row(id, grade, model, modelCount, modelRounds, cells, Verdict.AGREE, null);
            case Sometimes -> seen > 0
                    ? new Row(id, grade, model, modelCount, modelRounds, cells, Verdict.AGREE, null)
                    : new Row(id, grade, model, modelCount, modelRounds, cells, Verdict.FORGIVEN, forgiven(rounds));
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
        return new TestRecord(t.name(), t.scenario(), t.params(), t.ran(), t.note(), t.rounds(),
                Map.of(LitmusLog.OUTCOME, agg), t.latencies(), t.where());
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
}
