package org.gpcrace.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.compare.Comparison;
import org.gpcrace.compare.Comparison.Cell;
import org.gpcrace.compare.Comparison.Group;
import org.gpcrace.compare.Comparison.LatencyRow;
import org.gpcrace.compare.Comparison.Row;
import org.gpcrace.compare.Input;
import org.gpcrace.compare.TestRecord;
import org.gpcrace.compare.Verdict;
import org.gpcrace.result.Observation;

/**
 * The comparison as mcompare7 / judgelitmus print it: one row per test and outcome, the model's
 * Never/Sometimes/Always, each hardware input's count/rounds, the verdict; then the latency
 * comparison (hardware/model ratio per percentile, signed MPE, MAPE, flags past the tolerance).
 */
public final class CompareReport {
    private CompareReport() {}

    /** Rows that say nothing: the model says Never and no hardware shows it. */
    public static boolean quiet(Row r) {
        return r.verdict() == Verdict.AGREE && r.model() == Observation.Never;
    }

    public static void print(PrintWriter out, Comparison.Result res, boolean all) {
        out.println("model: " + describe(res.model()));
        for (int i = 0; i < res.hardware().size(); i++) out.println("hardware [" + (i + 1) + "]: " + describe(res.hardware().get(i)));
        out.println();
        StringBuilder head = new StringBuilder(String.format("%-26s %-12s %-10s", "TEST / OUTCOME", "EXPECT", "MODEL"));
        for (int i = 0; i < res.hardware().size(); i++) head.append(String.format(" %18s", "[" + (i + 1) + "] COUNT/ROUNDS"));
        out.println(head.append("  VERDICT"));
        long hidden = 0;
        for (Group g : res.groups()) {
            out.println(groupHeader(g, res));
            for (Row r : g.rows()) {
                if (!all && quiet(r)) { hidden++; continue; }
                StringBuilder s = new StringBuilder(String.format("  %-24s %-12s %-10s", r.outcome(),
                        r.grade() == null ? "" : r.grade().label(), r.model() == null ? "-" : r.model()));
                for (Cell c : r.hardware()) s.append(String.format(" %18s", c == null ? "-" : c.count() + "/" + c.rounds()));
                s.append("  ").append(r.verdict().label());
                if (r.note() != null) s.append("  ").append(r.note());
                out.println(s);
            }
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
                hidden > 0 ? " (" + hidden + " rows where the model says Never and no hardware shows it not printed; --all prints them)" : "");
        long flagged = res.latencies().stream().filter(LatencyRow::flagged).count();
        if (!res.latencies().isEmpty()) out.printf("latency: %d of %d metric comparisons outside %s%%%n", flagged, res.latencies().size(), fmt(res.tolerancePct()));
        out.println(res.anyUnexpected() ? "RESULT: !!! Unexpected: the hardware shows what the model forbids" : "RESULT: no Unexpected verdict");
    }

    private static String groupHeader(Group g, Comparison.Result res) {
        StringBuilder s = new StringBuilder(g.name());
        if (g.model() != null && !g.model().params().isEmpty()) s.append(' ').append(g.model().params());
        List<String> hw = new ArrayList<>();
        for (int i = 0; i < g.hardware().size(); i++) {
            for (TestRecord h : g.hardware().get(i)) {
                if (g.model() == null || !h.name().equals(g.model().name()) || !h.ran()) {
                    hw.add("[" + (i + 1) + "] " + h.name() + (h.ran() ? "" : " (" + h.note() + ")"));
                }
            }
        }
        if (g.model() == null) s.append("  (hardware only)");
        if (!hw.isEmpty()) s.append("  <- ").append(String.join(", ", hw));
        return s.toString();
    }

    private static String describe(Input in) {
        return in.file() + " (" + (in.format() == Input.Format.LITMUS ? "litmus log" : in.kind() + (in.tool() != null ? ", " + in.tool() : ""))
                + ", " + in.tests().size() + " test" + (in.tests().size() == 1 ? "" : "s") + ")";
    }

    private static String fmt(double d) { return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d); }

    /** The same comparison as a JSON-ready tree (`gpcrace compare --json`). */
    public static Map<String, Object> json(Comparison.Result res) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", input(res.model()));
        m.put("hardware", res.hardware().stream().map(CompareReport::input).toList());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Group g : res.groups()) {
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
                row.put("modelRounds", g.model() == null ? null : r.modelRounds());
                row.put("hardwareCounts", r.hardware().stream().map(c -> c == null ? null : Map.of("count", c.count(), "rounds", c.rounds(), "tests", c.tests())).toList());
                row.put("verdict", r.verdict().label());
                row.put("note", r.note());
                rows.add(row);
            }
        }
        m.put("rows", rows);
        m.put("latency", res.latencies());
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
        m.put("format", in.format().name().toLowerCase());
        m.put("kind", in.kind());
        m.put("tool", in.tool());
        m.put("tests", in.tests().size());
        return m;
    }
}
