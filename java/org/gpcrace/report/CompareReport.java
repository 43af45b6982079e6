package org.gpcrace.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.compare.Comparison;
import org.gpcrace.compare.Comparison.Cell;
import org.gpcrace.compare.Comparison.Group;
import org.gpcrace.compare.Comparison.Judged;
import org.gpcrace.compare.Comparison.LatencyRow;
import org.gpcrace.compare.Comparison.Row;
import org.gpcrace.compare.Comparison.Spread;
import org.gpcrace.compare.HostNames;
import org.gpcrace.compare.Input;
import org.gpcrace.compare.TestRecord;
import org.gpcrace.compare.Verdict;
import org.gpcrace.result.Observation;

/**
 * The comparison as mcompare7 lays litmus logs from several machines side by side: one row per
 * test and outcome, the reference column first (a model's Never/Sometimes/Always, or the tests'
 * declared expectations), then one column per host (named from its results file's host block)
 * with count/rounds and that host's verdict, then the verdict over all hosts; tests with an
 * Unexpected row first. Then the latency percentiles per host with their spread across hosts,
 * and against a model the hardware/model ratio per percentile, signed MPE and MAPE.
 */
public final class CompareReport {
    private CompareReport() {}

    /** Rows that say nothing: nothing seen where the reference says Never, or where it makes no claim. */
    public static boolean quiet(Row r) {
        if (r.verdict() != Verdict.AGREE) return false;
        if (r.model() == Observation.Never) return true;
        return r.model() == null && r.hardware().stream().allMatch(c -> c == null || c.count() == 0);
    }

    /** The groups, those with an Unexpected row first (each part in the comparison's order). */
    public static List<Group> ordered(Comparison.Result res) {
        List<Group> first = new ArrayList<>(), rest = new ArrayList<>();
        for (Group g : res.groups()) (g.rows().stream().anyMatch(r -> r.verdict() == Verdict.UNEXPECTED) ? first : rest).add(g);
        first.addAll(rest);
        return first;
    }

    /** "=", "!!! Unexpected", "Forgiven", "Missing". */
    static String cellText(Cell c, Judged j) {
        return c == null ? j.verdict().label() : c.count() + "/" + c.rounds() + " " + j.verdict().label();
    }

    /** The reference column: Never/Sometimes/Always, "any" where it makes no claim, "-" on a Missing row. */
    static String referenceText(Row r) {
        return r.model() != null ? r.model().name() : r.verdict() == Verdict.MISSING && r.outcome().equals("-") ? "-" : "any";
    }

    public static void print(PrintWriter out, Comparison.Result res, boolean all) {
        List<HostNames.Name> names = HostNames.of(res.hardware());
        if (res.declared()) {
            out.println("reference: the tests' declared expectations (a FORBIDDEN outcome: Never, except a control's race: Sometimes)");
        } else {
            out.println("model: " + describe(res.model()));
        }
        out.println(res.declared() ? "hosts:" : "hardware:");
        for (int i = 0; i < res.hardware().size(); i++) {
            out.println("  [" + (i + 1) + "] " + names.get(i).line() + "  <- " + describe(res.hardware().get(i)));
        }
        out.println();
        out.println("*Verdicts* per host: count/rounds and the verdict against the " + (res.declared() ? "declared expectation" : "model")
                + "; tests with an Unexpected row first");
        List<List<String>> head = new ArrayList<>();
        head.add(List.of("TEST / OUTCOME"));
        head.add(List.of("EXPECT"));
        head.add(List.of(res.declared() ? "DECLARED" : "MODEL"));
        for (int i = 0; i < names.size(); i++) {
            List<String> h = new ArrayList<>(names.get(i).lines());
            h.set(0, "[" + (i + 1) + "] " + h.get(0));
            head.add(h);
        }
        head.add(List.of(res.hardware().size() > 1 ? "ALL HOSTS" : "VERDICT"));
        TextMatrix m = new TextMatrix(head);
        long hidden = 0;
        for (Group g : ordered(res)) {
            boolean headed = false;
            for (Row r : g.rows()) {
                if (!all && quiet(r)) { hidden++; continue; }
                if (!headed) m.line(groupHeader(g));
                headed = true;
                List<List<String>> cells = new ArrayList<>();
                cells.add(List.of("  " + r.outcome()));
                cells.add(List.of(r.grade() == null ? "" : r.grade().label()));
                cells.add(List.of(referenceText(r)));
                for (int i = 0; i < r.hardware().size(); i++) {
                    Cell c = r.hardware().get(i);
                    Judged j = r.hosts().get(i);
                    List<String> lines = new ArrayList<>(List.of(cellText(c, j)));
                    if (c == null && j.note() != null) lines.addAll(TextMatrix.wrap(j.note(), 30));
                    cells.add(lines);
                }
                cells.add(List.of(r.verdict().label()));
                m.row(cells);
                if (r.note() != null) m.line("      " + r.note());
            }
        }
        m.print(out);
        if (!res.spreads().isEmpty()) {
            out.println();
            latencySpread(out, res, names);
        }
        if (!res.latencies().isEmpty()) {
            out.println();
            out.printf("%-26s %-22s %-14s %-6s %12s %12s %8s %9s%n", "LATENCY TEST", "METRIC", "HARDWARE", "PCTL", "MODEL", "HARDWARE", "HW/MODEL", "ERROR");
            for (LatencyRow l : res.latencies()) {
                for (var p : l.percentiles()) {
                    out.printf("%-26s %-22s %-14s %-6s %12.0f %12.0f %8.3f %+8.1f%%%s%n", l.test(), l.metric(), l.input(), p.p(),
                            p.model(), p.hardware(), p.ratio(), p.errorPct(), p.flagged() ? "  !!! outside " + fmt(res.tolerancePct()) + "%" : "");
                }
                out.printf("%-26s %-22s %-14s signed MPE %+.1f%%, MAPE %.1f%% (%s)%s%n", l.test(), l.metric(), l.input(), l.mpe(), l.mape(),
                        l.unit(), l.flagged() ? "  !!! outside tolerance " + fmt(res.tolerancePct()) + "%" : "  within tolerance " + fmt(res.tolerancePct()) + "%");
            }
        }
        out.println();
        out.printf("verdicts: %d =, %d Forgiven, %d !!! Unexpected, %d Missing%s%n", res.count(Verdict.AGREE),
                res.count(Verdict.FORGIVEN), res.count(Verdict.UNEXPECTED), res.count(Verdict.MISSING),
                hidden > 0 ? " (" + hidden + " rows where nothing was seen and none was expected not printed; --all prints them)" : "");
        if (res.hardware().size() > 1) {
            for (int i = 0; i < names.size(); i++) {
                Map<Verdict, Long> c = hostCounts(res, i);
                out.printf("  [%d] %d =, %d Forgiven, %d !!! Unexpected, %d Missing%n", i + 1, c.get(Verdict.AGREE), c.get(Verdict.FORGIVEN),
                        c.get(Verdict.UNEXPECTED), c.get(Verdict.MISSING));
            }
        }
        long flagged = res.latencies().stream().filter(LatencyRow::flagged).count();
        if (!res.latencies().isEmpty()) out.printf("latency: %d of %d metric comparisons outside %s%%%n", flagged, res.latencies().size(), fmt(res.tolerancePct()));
        out.println(res.anyUnexpected()
                ? "RESULT: !!! Unexpected: " + (res.declared() ? "a host shows what its tests declare it must not" : "the hardware shows what the model forbids")
                : "RESULT: no Unexpected verdict");
    }

    private static void latencySpread(PrintWriter out, Comparison.Result res, List<HostNames.Name> names) {
        out.println("*Latency* percentiles per host and their spread across hosts (MAX/MIN)");
        List<List<String>> head = new ArrayList<>();
        head.add(List.of("TEST / METRIC"));
        head.add(List.of("PCTL"));
        boolean model = res.spreads().stream().anyMatch(s -> s.model() != null);
        if (model) head.add(List.of("MODEL"));
        for (int i = 0; i < names.size(); i++) head.add(List.of("[" + (i + 1) + "]"));
        head.add(List.of("MIN"));
        head.add(List.of("MAX"));
        head.add(List.of("MAX/MIN"));
        TextMatrix m = new TextMatrix(head);
        String last = null;
        for (Spread s : res.spreads()) {
            String key = s.test() + " / " + s.metric();
            if (!key.equals(last)) m.line(s.test() + ": " + s.metric() + " (" + s.unit() + ")");
            last = key;
            List<List<String>> cells = new ArrayList<>();
            cells.add(List.of(""));
            cells.add(List.of(s.percentile()));
            if (model) cells.add(List.of(num(s.model())));
            for (Double v : s.hosts()) cells.add(List.of(num(v)));
            cells.add(List.of(num(s.min())));
            cells.add(List.of(num(s.max())));
            cells.add(List.of(s.ratio() == null ? "-" : String.format(java.util.Locale.ROOT, "%.2f", s.ratio())));
            m.row(cells);
        }
        m.print(out);
    }

    static String num(Double v) {
        if (v == null) return "-";
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString(v.longValue()) : String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    /** Each verdict's number of rows on host column i. */
    static Map<Verdict, Long> hostCounts(Comparison.Result res, int i) {
        Map<Verdict, Long> c = new LinkedHashMap<>();
        for (Verdict v : Verdict.values()) c.put(v, 0L);
        for (Group g : res.groups()) for (Row r : g.rows()) c.merge(r.hosts().get(i).verdict(), 1L, Long::sum);
        return c;
    }

    private static String groupHeader(Group g) {
        StringBuilder s = new StringBuilder(g.name());
        if (g.model() != null && !g.model().params().isEmpty()) s.append(' ').append(g.model().params());
        List<String> hw = new ArrayList<>();
        for (int i = 0; i < g.hardware().size(); i++) {
            for (TestRecord h : g.hardware().get(i)) {
                if (g.model() == null || !h.name().equals(g.model().name())) hw.add("[" + (i + 1) + "] " + h.name());
            }
        }
        if (g.model() == null) s.append("  (hardware only)");
        if (!hw.isEmpty()) s.append("  <- ").append(String.join(", ", hw));
        return s.toString();
    }

    static String describe(Input in) {
        StringBuilder s = new StringBuilder(in.file()).append(" (");
        s.append(in.format() == Input.Format.LITMUS ? "litmus log" : in.kind() + (in.tool() != null ? ", " + in.tool() : ""));
        s.append(", ").append(in.tests().size()).append(" test").append(in.tests().size() == 1 ? "" : "s");
        if (in.run() != null && in.run().toolCommit() != null) s.append(", commit ").append(in.run().toolCommit());
        return s.append(")").toString();
    }

    static String fmt(double d) { return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d); }

    /** The same comparison as a JSON-ready tree (`gpcrace compare --json`). */
    public static Map<String, Object> json(Comparison.Result res) {
        List<HostNames.Name> names = HostNames.of(res.hardware());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reference", res.declared() ? "declared" : "model");
        m.put("model", res.declared() ? null : input(res.model()));
        m.put("hardware", res.hardware().stream().map(CompareReport::input).toList());
        List<Map<String, Object>> hosts = new ArrayList<>();
        for (int i = 0; i < res.hardware().size(); i++) {
            Input in = res.hardware().get(i);
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("column", i + 1);
            h.put("name", names.get(i).line());
            h.put("file", in.file());
            h.put("host", in.host());
            h.put("run", in.run());
            h.put("verdicts", hostCounts(res, i).entrySet().stream().collect(java.util.stream.Collectors.toMap(
                    e -> e.getKey().label(), Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new)));
            hosts.add(h);
        }
        m.put("hosts", hosts);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Group g : ordered(res)) {
            for (Row r : g.rows()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("test", g.name());
                row.put("params", g.model() != null ? g.model().params() : Map.of());
                List<List<String>> hwTests = g.hardware().stream().map(l -> l.stream().map(TestRecord::name).toList()).toList();
                row.put("hardwareTests", hwTests);
                row.put("outcome", r.outcome());
                row.put("grade", r.grade());
                row.put("model", r.model());
                row.put("modelCount", r.modelCount());
                row.put("modelRounds", g.model() == null || res.declared() ? null : r.modelRounds());
                row.put("hardwareCounts", r.hardware().stream().map(c -> c == null ? null : Map.of("count", c.count(), "rounds", c.rounds(), "tests", c.tests())).toList());
                List<Map<String, Object>> cells = new ArrayList<>();
                for (int i = 0; i < r.hardware().size(); i++) {
                    Cell c = r.hardware().get(i);
                    Map<String, Object> cell = new LinkedHashMap<>();
                    cell.put("host", i + 1);
                    cell.put("count", c == null ? null : c.count());
                    cell.put("rounds", c == null ? null : c.rounds());
                    cell.put("verdict", r.hosts().get(i).verdict().label());
                    cell.put("note", r.hosts().get(i).note());
                    cells.add(cell);
                }
                row.put("cells", cells);
                row.put("verdict", r.verdict().label());
                row.put("note", r.note());
                rows.add(row);
            }
        }
        m.put("rows", rows);
        m.put("latency", res.latencies());
        m.put("latencySpread", res.spreads());
        m.put("tolerancePct", res.tolerancePct());
        Map<String, Object> sum = new LinkedHashMap<>();
        for (Verdict v : Verdict.values()) sum.put(v.label(), res.count(v));
        m.put("verdicts", sum);
        m.put("unexpected", res.anyUnexpected());
        return m;
    }

    private static Map<String, Object> input(Input in) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", in.file());
        m.put("format", in.format().name().toLowerCase(java.util.Locale.ROOT));
        m.put("kind", in.kind());
        m.put("tool", in.tool());
        m.put("tests", in.tests().size());
        return m;
    }
}
