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
import org.gpcrace.result.Figure;
import org.gpcrace.result.GpcExtra;
import org.gpcrace.result.Json;
import org.gpcrace.result.ModelExtra;
import org.gpcrace.result.Table;

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
        if (doc.host() != null) s.append("<h2>Host</h2>").append(kv(Json.MAPPER.convertValue(doc.host(), Map.class)));
        if (doc.run() != null) s.append("<h2>Run</h2>").append(kv(Json.MAPPER.convertValue(doc.run(), Map.class)));
        List<TestResult> tests = doc.tests();
        String unitHead = doc.tests().stream().map(TestResult::unit).distinct().count() == 1 && !tests.isEmpty() ? tests.getFirst().unit() : "rounds";
        s.append("<h2>Summary</h2><table><tr><th>test</th><th>verdict</th><th>").append(e(unitHead))
                .append("</th><th>per second</th><th>with a FORBIDDEN outcome</th><th>observation</th></tr>");
        for (TestResult t : tests) {
            boolean bad = t.verdict() != null && t.verdict().failing();
            s.append("<tr><td><a href=\"#").append(anchor(t)).append("\">").append(e(t.name())).append("</a></td><td")
                    .append(bad ? " class=\"forbidden\">" : t.ran() ? ">" : " class=\"skip\">").append(e(ConsoleReport.verdictText(t)))
                    .append("</td><td>").append(t.rounds()).append("</td><td>").append(String.format("%.0f", t.roundsPerSecond()))
                    .append("</td><td").append(t.forbiddenRounds() > 0 ? " class=\"forbidden\">" : ">").append(t.forbiddenRounds())
                    .append("</td><td><code>").append(t.ran() && !t.outcomes().isEmpty() ? e(t.observationLine()) : "")
                    .append("</code></td></tr>");
        }
        s.append("</table>");
        for (TestResult t : tests) test(s, t);
        return s.append("</body></html>\n").toString();
    }

    private static void test(StringBuilder s, TestResult t) {
        s.append("<h2 id=\"").append(anchor(t)).append("\">").append(e(t.name())).append("</h2>");
        boolean bad = t.verdict() != null && t.verdict().failing();
        s.append("<p").append(bad ? " class=\"forbidden\"" : "").append("><b>verdict:</b> ").append(e(ConsoleReport.verdictText(t))).append("</p>");
        if (t.expectation() != null) {
            s.append("<p>expected: ").append(e(t.expectation().kind().id())).append(t.expectation().declaredUnsafe()
                    ? " (race: " + e(String.join(", ", t.expectation().race())) + ")" : "").append(" &mdash; ")
                    .append(e(t.expectation().reason())).append("</p>");
        }
        if (!t.params().isEmpty()) s.append(kv(t.params()));
        if (!t.ran()) return;
        if (!t.outcomes().isEmpty()) {
            s.append("<table><tr><th>RESULT</th><th>").append(e(t.unit().toUpperCase(java.util.Locale.ROOT)))
                    .append("</th><th>FREQ</th><th>EXPECT</th><th>DESCRIPTION</th></tr>");
            List<String> labels = new ArrayList<>();
            List<Long> values = new ArrayList<>();
            List<String> colors = new ArrayList<>();
            for (OutcomeCount o : t.outcomes()) {
                boolean forbidden = o.grade() == Grade.FORBIDDEN && o.count() > 0;
                s.append("<tr").append(forbidden ? " class=\"forbidden\"" : "").append("><td>").append(e(o.id())).append("</td><td>").append(o.count())
                        .append("</td><td>").append(String.format("%.3f%%", t.rounds() == 0 ? 0.0 : 100.0 * o.count() / t.rounds()))
                        .append("</td><td>").append(o.grade().label()).append("</td><td>").append(e(o.description())).append("</td></tr>");
                labels.add(o.id());
                values.add(o.count());
                colors.add(o.grade() == Grade.FORBIDDEN ? "#d62728" : o.grade() == Grade.ACCEPTABLE_INTERESTING ? "#ff7f0e" : "#2ca02c");
            }
            s.append("</table><p><code>").append(e(t.observationLine())).append("</code></p>").append(Svg.bars(labels, values, colors));
            if (t.firstForbidden() != null) {
                s.append(String.format("<p class=\"forbidden\">first FORBIDDEN: %s at %s %d after %.3f ms</p>",
                        e(t.firstForbidden().outcome()), e(ConsoleReport.singular(t.unit())), t.firstForbidden().round(), t.firstForbidden().elapsedMs()));
            }
        }
        if (!t.latencies().isEmpty()) latencies(s, t.latencies());
        if (!t.figures().isEmpty()) {
            s.append("<table><tr><th>figure</th><th>value</th><th>unit</th></tr>");
            for (Figure f : t.figures()) {
                s.append("<tr><td>").append(e(f.name())).append("</td><td>").append(e(fmt(f.value()))).append("</td><td>").append(e(f.unit())).append("</td></tr>");
            }
            s.append("</table>");
        }
        for (Table tb : t.tables()) table(s, tb);
        if (t.extra() instanceof GpcExtra g) raceWindow(s, g);
        if (t.extra() instanceof ModelExtra m) counterexamples(s, m);
        if (!t.notes().isEmpty()) {
            s.append("<ul>");
            for (String n : t.notes()) s.append("<li>").append(e(n)).append("</li>");
            s.append("</ul>");
        }
    }

    private static void raceWindow(StringBuilder s, GpcExtra g) {
        if (g.raceWindow().size() < 2) return;
        double[] xs = g.raceWindow().stream().mapToDouble(GpcExtra.WindowBucket::delayNs).toArray();
        double[] rate = g.raceWindow().stream().mapToDouble(GpcExtra.WindowBucket::forbiddenRatePct).toArray();
        s.append("<h3>race window: rounds with a FORBIDDEN outcome (%) by invalidator start delay (ns)</h3>")
                .append(Svg.lines("start delay (ns)", "FORBIDDEN rounds (%)", xs, List.of("FORBIDDEN rate"), List.of(rate), false, false));
    }

    private static void counterexamples(StringBuilder s, ModelExtra m) {
        for (ModelExtra.Counterexample c : m.counterexamples()) {
            s.append("<h3>shortest interleaving to ").append(e(c.outcome())).append(" (").append(c.steps().size()).append(" steps)")
                    .append(c.start() == null || c.start().isEmpty() ? "" : ", when " + e(c.start())).append("</h3><table><tr><th>#</th><th>actor</th><th>step</th><th>changes</th></tr>");
            int n = 0;
            for (ModelExtra.Step st : c.steps()) {
                s.append("<tr><td>").append(++n).append("</td><td>").append(e(st.actor())).append("</td><td>").append(e(st.step()))
                        .append("</td><td>").append(e(String.join(", ", st.changes()))).append("</td></tr>");
            }
            s.append("</table>");
        }
    }

    private static void table(StringBuilder s, Table tb) {
        s.append("<h3>").append(e(tb.name())).append("</h3>");
        if (tb.description() != null) s.append("<p>").append(e(tb.description())).append("</p>");
        s.append("<table><tr>");
        for (Table.Column c : tb.columns()) s.append("<th>").append(e(c.name())).append(c.unit().isEmpty() ? "" : " (" + e(c.unit()) + ")").append("</th>");
        s.append("</tr>");
        for (List<Double> r : tb.rows()) {
            s.append("<tr>");
            for (Double v : r) s.append("<td>").append(e(fmt(v))).append("</td>");
            s.append("</tr>");
        }
        s.append("</table>");
        if (tb.rows().size() < 2 || tb.columns().size() < 2) return;
        double[] xs = tb.rows().stream().mapToDouble(r -> r.get(0)).toArray();
        List<String> names = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        for (int k = 1; k < tb.columns().size() && k <= Svg.COLORS.length; k++) {
            final int col = k;
            names.add(tb.columns().get(k).header());
            ys.add(tb.rows().stream().mapToDouble(r -> r.get(col)).toArray());
        }
        boolean logX = xs[0] > 0 && xs[xs.length - 1] / Math.max(xs[0], 1e-9) >= 100;
        boolean logY = ys.stream().flatMapToDouble(java.util.Arrays::stream).allMatch(v -> v > 0);
        s.append(Svg.lines(tb.columns().get(0).header(), String.join(", ", names), xs, names, ys, logX, logY));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.4g", v);
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

    private static String kv(Map<?, ?> m) {
        if (m == null || m.isEmpty()) return "";
        StringBuilder s = new StringBuilder("<table>");
        for (var en : m.entrySet()) s.append("<tr><th>").append(e(String.valueOf(en.getKey()))).append("</th><td>").append(e(String.valueOf(en.getValue()))).append("</td></tr>");
        return s.append("</table>").toString();
    }

    private static String anchor(TestResult t) { return "t-" + t.name().replaceAll("[^A-Za-z0-9_-]", "_"); }

    private static String e(String s) { return JunitXmlReport.esc(s); }
}
