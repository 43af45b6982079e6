package org.gpcrace.report;

import static org.gpcrace.report.Html.count;
import static org.gpcrace.report.Html.e;

import java.util.List;
import java.util.Locale;
import org.gpcrace.result.Expectation;
import org.gpcrace.result.Figure;
import org.gpcrace.result.GpcExtra;
import org.gpcrace.result.Grade;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.ModelExtra;
import org.gpcrace.result.Observation;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.Table;
import org.gpcrace.result.TestResult;

/**
 * One test's section of report.html: the verdict and why, what the test was declared to show,
 * the headline numbers, then outcomes, latencies, the scenario's own block (race window and
 * placement; the model's exploration and counterexample traces), figures, tables and notes,
 * each table beside its chart. Every string from the results is escaped.
 */
final class TestSection {
    private TestSection() {}

    static String render(TestResult t, String anchor) {
        StringBuilder s = new StringBuilder();
        s.append("<section class=\"test\" id=\"").append(anchor).append("\">");
        s.append("<h2>").append(e(t.name())).append(' ').append(HtmlReport.badge(t)).append("</h2>");
        if (t.verdictReason() != null && !t.verdictReason().isBlank()) {
            s.append("<p class=\"why\">").append(e(t.verdictReason())).append("</p>");
        }
        expectation(s, t.expectation());
        if (t.skip() != null) {
            s.append("<div class=\"callout skip\"><b>Skipped:</b> ").append(e(t.skip().reason()));
            if (t.skip().fix() != null && !t.skip().fix().isBlank()) s.append("<br><b>Fix:</b> <code>").append(e(t.skip().fix())).append("</code>");
            s.append("</div>");
        }
        if (t.error() != null) s.append("<div class=\"callout bad\"><b>Failed:</b> ").append(e(t.error())).append("</div>");
        if (t.interrupted()) s.append("<div class=\"callout warn\">Interrupted (Ctrl-C): the numbers cover the part that ran.</div>");
        facts(s, t);
        if (!t.params().isEmpty()) {
            s.append("<details class=\"params\"><summary>Parameters (").append(t.params().size()).append(")</summary>")
                    .append(Html.keyValues(t.params(), "params")).append("</details>");
        }
        if (!t.ran()) return s.append("</section>").toString();
        if (!t.outcomes().isEmpty()) outcomes(s, t);
        if (!t.latencies().isEmpty()) latencies(s, t);
        if (t.extra() instanceof GpcExtra g) GpcPanel.render(s, g);
        if (t.extra() instanceof ModelExtra m) ModelPanel.render(s, t, m);
        if (t.extra() != null && !(t.extra() instanceof GpcExtra || t.extra() instanceof ModelExtra)) {
            ExtraPanel.render(s, t.extra());
        }
        if (!t.figures().isEmpty()) figures(s, t.figures());
        for (Table tb : t.tables()) table(s, tb);
        if (!t.notes().isEmpty()) {
            s.append("<h3>Notes</h3><ul class=\"notes\">");
            for (String n : t.notes()) s.append("<li>").append(e(n)).append("</li>");
            s.append("</ul>");
        }
        return s.append("</section>").toString();
    }

    private static void expectation(StringBuilder s, Expectation x) {
        if (x == null) return;
        s.append("<p class=\"expect\"><b>Declared ");
        if (x.declaredUnsafe()) {
            s.append("unsafe:</b> a control that must show its race (").append(e(String.join(", ", x.race()))).append(")");
        } else {
            s.append("safe:</b> no FORBIDDEN outcome may appear");
        }
        s.append(" &mdash; ").append(e(x.reason())).append("</p>");
    }

    /** The headline numbers: how much ran, how fast, how many rounds went FORBIDDEN, the Observation line. */
    private static void facts(StringBuilder s, TestResult t) {
        if (!t.ran()) return;
        boolean model = t.extra() instanceof ModelExtra;
        s.append("<dl class=\"facts\">");
        fact(s, "scenario", e(t.scenario()));
        fact(s, t.unit(), count(t.rounds()));
        fact(s, model ? "explored in" : "time", String.format(Locale.ROOT, "%.2f s", t.durationSeconds()));
        if (!model && t.roundsPerSecond() > 0) fact(s, "rate", count(Math.round(t.roundsPerSecond())) + " " + e(t.unit()) + "/s");
        if (!t.outcomes().isEmpty()) {
            String cls = t.forbiddenRounds() > 0 ? " class=\"bad\"" : "";
            fact(s, "with a FORBIDDEN outcome", "<span" + cls + ">" + count(t.forbiddenRounds()) + "</span>");
        }
        if (t.firstForbidden() != null) {
            var f = t.firstForbidden();
            fact(s, "first FORBIDDEN", e(f.outcome()) + " at " + e(ConsoleReport.singular(t.unit())) + " " + count(f.round())
                    + String.format(Locale.ROOT, ", after %.3f ms", f.elapsedMs()));
        }
        s.append("</dl>");
        if (!t.outcomes().isEmpty()) s.append("<p class=\"observation\"><code>").append(e(t.observationLine())).append("</code></p>");
    }

    private static void fact(StringBuilder s, String name, String valueHtml) {
        s.append("<div><dt>").append(e(name)).append("</dt><dd>").append(valueHtml).append("</dd></div>");
    }

    private static void outcomes(StringBuilder s, TestResult t) {
        boolean model = t.extra() instanceof ModelExtra;
        s.append("<h3>Outcomes</h3><div class=\"pair\"><table class=\"data wide\"><tr><th>outcome</th>");
        if (model) s.append("<th>model</th>");
        s.append("<th class=\"num\">").append(e(t.unit())).append("</th><th class=\"num\">share</th><th>grade</th><th>meaning</th></tr>");
        for (OutcomeCount o : t.outcomes()) {
            boolean bad = o.grade() == Grade.FORBIDDEN && o.seen();
            s.append("<tr").append(bad ? " class=\"bad\"" : "").append("><td><code>").append(e(o.id())).append("</code></td>");
            if (model) s.append("<td>").append(e(o.observation() != null ? o.observation() : Observation.of(o.count(), t.rounds()))).append("</td>");
            double share = t.rounds() == 0 ? 0 : 100.0 * o.count() / t.rounds();
            s.append("<td class=\"num\">").append(count(o.count())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.3f%%", share)).append("</td><td>").append(e(o.grade().label()))
                    .append("</td><td>").append(e(o.description())).append("</td></tr>");
        }
        s.append("</table></div>");
        s.append(figure(ResultCharts.outcomes(t)));
    }

    private static void latencies(StringBuilder s, TestResult t) {
        List<LatencySummary> ls = t.latencies();
        // one clock and one unit for all (the usual case): said once, not in every row and cell
        boolean oneClock = ls.stream().map(LatencySummary::clock).distinct().count() == 1;
        boolean oneUnit = ls.stream().map(LatencySummary::unit).distinct().count() == 1;
        String head = oneUnit ? " (" + e(ls.get(0).unit()) + ")" : "";
        s.append("<h3>Latency</h3>");
        if (oneClock && ls.get(0).clock() != null) s.append("<p class=\"muted\">Clock: ").append(e(ls.get(0).clock())).append("</p>");
        s.append("<div class=\"pair\"><table class=\"data wide\"><tr><th>metric</th>");
        if (!oneClock) s.append("<th>clock</th>");
        s.append("<th class=\"num\">count</th>");
        for (String p : List.of("min", "p50", "p90", "p99", "p99.9", "max", "mean")) s.append("<th class=\"num\">").append(p).append(head).append("</th>");
        s.append("</tr>");
        for (LatencySummary l : ls) {
            String u = oneUnit ? "" : " " + e(l.unit());
            s.append("<tr><td>").append(e(l.metric())).append("</td>");
            if (!oneClock) s.append("<td>").append(e(l.clock())).append("</td>");
            s.append("<td class=\"num\">").append(count(l.count())).append("</td>");
            for (long v : new long[] {l.min(), l.p50(), l.p90(), l.p99(), l.p999(), l.max()}) {
                s.append("<td class=\"num\">").append(count(v)).append(u).append("</td>");
            }
            s.append("<td class=\"num\">").append(String.format(Locale.ROOT, "%,.1f", l.mean())).append(u).append("</td></tr>");
        }
        s.append("</table></div>");
        for (String chart : ResultCharts.latencies(t)) s.append(figure(chart));
    }

    private static void figures(StringBuilder s, List<Figure> figures) {
        s.append("<h3>Figures</h3><table class=\"data\"><tr><th>figure</th><th class=\"num\">value</th><th>unit</th></tr>");
        for (Figure f : figures) {
            s.append("<tr><td title=\"").append(e(f.name())).append("\">").append(e(Html.words(f.name()))).append("</td><td class=\"num\">")
                    .append(Html.number(f.value())).append("</td><td>").append(e(f.unit())).append("</td></tr>");
        }
        s.append("</table>");
    }

    private static void table(StringBuilder s, Table tb) {
        s.append("<h3>").append(e(Html.title(tb.name()))).append("</h3>");
        if (tb.description() != null && !tb.description().isBlank()) s.append("<p class=\"muted\">").append(e(tb.description())).append("</p>");
        for (String chart : ResultCharts.table(tb)) s.append(figure(chart));
        boolean open = tb.rows().size() < 2;
        s.append("<details class=\"numbers\"").append(open ? " open" : "").append("><summary>The numbers (")
                .append(tb.rows().size()).append(tb.rows().size() == 1 ? " row" : " rows").append(")</summary><table class=\"data\"><tr>");
        for (Table.Column c : tb.columns()) {
            String u = ResultCharts.unit(c);
            s.append("<th class=\"num\" title=\"").append(e(c.header())).append("\">").append(e(Html.words(c.name())))
                    .append(u.isEmpty() ? "" : " (" + e(u) + ")").append("</th>");
        }
        s.append("</tr>");
        for (List<Double> r : tb.rows()) {
            s.append("<tr>");
            for (Double v : r) s.append("<td class=\"num\">").append(v == null ? "" : Html.number(v)).append("</td>");
            s.append("</tr>");
        }
        s.append("</table></details>");
    }

    static String figure(String svg) { return "<figure class=\"chart\">" + svg + "</figure>"; }
}
