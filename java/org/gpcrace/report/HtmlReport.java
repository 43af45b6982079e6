package org.gpcrace.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.gpcrace.result.Grade;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.TestResult;

/**
 * A self-contained HTML report of a results document: host and parameters, a summary table, and
 * per test the outcome bars, the latency table with its percentile spectrum, and a line chart for
 * every series in {@code extra} (sweeps, the race-window map: any list of rows with numeric columns,
 * the first column being x).
 */
public final class HtmlReport {
    private HtmlReport() {}

    static final double[] SPECTRUM = {0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 99.999, 100};

    public static String render(ResultsDocument doc) {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>gpcrace ").append(e(doc.kind())).append(" results</title><style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:.5em 0}")
                .append("td,th{border:1px solid #ccc;padding:2px 8px;font-size:13px;text-align:left}th{background:#eee}")
                .append(".forbidden{color:#b00;font-weight:bold}.skip{color:#886}.chart{display:block;margin:.5em 0}")
                .append(".lbl{font-size:12px}.val{font-size:11px;fill:#555}code{background:#f4f4f4}</style></head><body>");
        s.append("<h1>gpcrace ").append(e(doc.kind())).append(" results</h1><p>").append(e(doc.createdAt())).append(" &middot; schema <code>")
                .append(e(doc.schema())).append("</code></p>");
        s.append("<h2>Host</h2>").append(kv(doc.host())).append("<h2>Parameters</h2>").append(kv(doc.parameters()));
        List<TestResult> tests = doc.tests() == null ? List.of() : doc.tests();
        s.append("<h2>Summary</h2><table><tr><th>test</th><th>status</th><th>rounds</th><th>rounds/s</th><th>FORBIDDEN</th><th>observation</th></tr>");
        for (TestResult t : tests) {
            s.append("<tr><td><a href=\"#").append(anchor(t)).append("\">").append(e(t.name())).append("</a></td><td")
                    .append(t.ran() ? ">" : " class=\"skip\">").append(e(t.ran() ? "ran" : t.skip() != null ? t.skip().line() : "failed: " + t.error()))
                    .append("</td><td>").append(t.rounds()).append("</td><td>").append(String.format("%.0f", t.roundsPerSecond()))
                    .append("</td><td").append(t.forbiddenCount() > 0 ? " class=\"forbidden\">" : ">").append(t.forbiddenCount())
                    .append("</td><td><code>").append(t.ran() && t.outcomes() != null && !t.outcomes().isEmpty() ? e(ConsoleReport.observationLine(t)) : "")
                    .append("</code></td></tr>");
        }
        s.append("</table>");
        for (TestResult t : tests) test(s, t);
        return s.append("</body></html>\n").toString();
    }

    private static void test(StringBuilder s, TestResult t) {
        s.append("<h2 id=\"").append(anchor(t)).append("\">").append(e(t.name())).append("</h2>");
        if (t.params() != null && !t.params().isEmpty()) s.append(kv(t.params()));
        if (!t.ran()) {
            s.append("<p class=\"skip\">").append(e(t.skip() != null ? t.skip().line() : "failed: " + t.error())).append("</p>");
            return;
        }
        if (t.outcomes() != null && !t.outcomes().isEmpty()) {
            s.append("<table><tr><th>RESULT</th><th>SAMPLES</th><th>FREQ</th><th>EXPECT</th><th>DESCRIPTION</th></tr>");
            List<String> labels = new ArrayList<>();
            List<Long> values = new ArrayList<>();
            List<String> colors = new ArrayList<>();
            for (OutcomeCount o : t.outcomes()) {
                boolean bad = o.grade() == Grade.FORBIDDEN && o.count() > 0;
                s.append("<tr").append(bad ? " class=\"forbidden\"" : "").append("><td>").append(e(o.id())).append("</td><td>").append(o.count())
                        .append("</td><td>").append(String.format("%.3f%%", t.rounds() == 0 ? 0.0 : 100.0 * o.count() / t.rounds()))
                        .append("</td><td>").append(o.grade().label()).append("</td><td>").append(e(o.description())).append("</td></tr>");
                labels.add(o.id());
                values.add(o.count());
                colors.add(o.grade() == Grade.FORBIDDEN ? "#d62728" : o.grade() == Grade.ACCEPTABLE_INTERESTING ? "#ff7f0e" : "#2ca02c");
            }
            s.append("</table>").append(Svg.bars(labels, values, colors));
            if (t.firstForbidden() != null) {
                s.append(String.format("<p class=\"forbidden\">first FORBIDDEN: %s at round %d after %.3f ms</p>",
                        e(t.firstForbidden().outcome()), t.firstForbidden().round(), t.firstForbidden().elapsedMs()));
            }
        }
        if (t.latencies() != null && !t.latencies().isEmpty()) latencies(s, t.latencies());
        if (t.extra() != null) for (var en : t.extra().entrySet()) series(s, en.getKey(), en.getValue());
    }

    private static void latencies(StringBuilder s, List<LatencySummary> ls) {
        s.append("<table><tr><th>latency (ns)</th><th>clock</th><th>count</th><th>min</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>mean</th></tr>");
        for (LatencySummary l : ls) {
            s.append("<tr><td>").append(e(l.metric())).append("</td><td>").append(e(l.clock())).append("</td><td>").append(l.count())
                    .append("</td><td>").append(l.min()).append("</td><td>").append(l.p50()).append("</td><td>").append(l.p90())
                    .append("</td><td>").append(l.p99()).append("</td><td>").append(l.p999()).append("</td><td>").append(l.max())
                    .append("</td><td>").append(String.format("%.1f", l.mean())).append("</td></tr>");
        }
        s.append("</table>");
        // percentile spectrum: x = 1/(1-p) on a log axis, as HdrHistogram plots do
        double[] xs = new double[SPECTRUM.length];
        for (int i = 0; i < xs.length; i++) xs[i] = 1 / (1 - Math.min(SPECTRUM[i], 99.9999) / 100);
        List<String> names = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        for (LatencySummary l : ls) {
            if (l.hdr() == null || l.count() == 0 || names.size() >= Svg.COLORS.length) continue;
            Histogram h = l.histogram();
            double[] y = new double[SPECTRUM.length];
            for (int i = 0; i < y.length; i++) y[i] = Math.max(1, h.getValueAtPercentile(SPECTRUM[i]));
            names.add(l.metric());
            ys.add(y);
        }
        if (!ys.isEmpty()) s.append(Svg.lines("percentile 1/(1-p): 2 = p50, 100 = p99, 1000 = p99.9", "ns", xs, names, ys, true, true));
    }

    /** A list of rows (maps) whose first numeric column is x and the other numeric columns are series. */
    private static void series(StringBuilder s, String name, Object value) {
        if (!(value instanceof List<?> rows) || rows.size() < 2 || !(rows.get(0) instanceof Map<?, ?> first)) return;
        List<String> cols = new ArrayList<>();
        for (var en : first.entrySet()) if (en.getValue() instanceof Number) cols.add(String.valueOf(en.getKey()));
        if (cols.size() < 2) return;
        double[] xs = new double[rows.size()];
        List<double[]> ys = new ArrayList<>();
        for (int k = 1; k < cols.size() && k <= Svg.COLORS.length; k++) ys.add(new double[rows.size()]);
        for (int i = 0; i < rows.size(); i++) {
            if (!(rows.get(i) instanceof Map<?, ?> row)) return;
            xs[i] = num(row.get(cols.get(0)));
            for (int k = 1; k <= ys.size(); k++) ys.get(k - 1)[i] = num(row.get(cols.get(k)));
        }
        boolean logX = xs[0] > 0 && xs[xs.length - 1] / Math.max(xs[0], 1e-9) >= 100;
        boolean logY = ys.stream().flatMapToDouble(java.util.Arrays::stream).allMatch(v -> v > 0);
        s.append("<h3>").append(e(name)).append("</h3>")
                .append(Svg.lines(cols.get(0), String.join(", ", cols.subList(1, 1 + ys.size())), xs, cols.subList(1, 1 + ys.size()), ys, logX, logY));
    }

    private static double num(Object o) { return o instanceof Number n ? n.doubleValue() : 0; }

    private static String kv(Map<String, Object> m) {
        if (m == null || m.isEmpty()) return "";
        StringBuilder s = new StringBuilder("<table>");
        for (var en : m.entrySet()) s.append("<tr><th>").append(e(en.getKey())).append("</th><td>").append(e(String.valueOf(en.getValue()))).append("</td></tr>");
        return s.append("</table>").toString();
    }

    private static String anchor(TestResult t) { return "t-" + t.name().replaceAll("[^A-Za-z0-9_-]", "_"); }

    private static String e(String s) { return JunitXmlReport.esc(s); }
}
