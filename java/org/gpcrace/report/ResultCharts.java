package org.gpcrace.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gpcrace.report.chart.Axis;
import org.gpcrace.report.chart.Bar;
import org.gpcrace.report.chart.Charts;
import org.gpcrace.report.chart.DelayBucket;
import org.gpcrace.report.chart.LatencySeries;
import org.gpcrace.report.chart.XySeries;
import org.gpcrace.result.GpcExtra;
import org.gpcrace.result.Grade;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.Table;
import org.gpcrace.result.TestResult;

/**
 * The charts of one test, from its typed results: outcome bars, latency percentile plots, the
 * race-window map, one line chart per table and unit. Each chart is an inline SVG string; no
 * series is left out (a latency chart holds at most {@value #SERIES_PER_CHART} series, more make
 * further charts). Titles are sentences, never field names.
 */
final class ResultCharts {
    private ResultCharts() {}

    /** Beyond this many lines (the distinct hues of the palette) a percentile plot is a tangle: more make further charts. */
    static final int SERIES_PER_CHART = 10;

    /** Counts spanning this factor or more get a log scale (announced on the axis). */
    static final double LOG_SPAN = 100;

    private static final Set<String> TIME_UNITS = Set.of("ns", "us", "µs", "ms", "s");

    /** One bar per outcome, its count at the end, coloured by grade. */
    static String outcomes(TestResult t) {
        List<Bar> bars = new ArrayList<>();
        long minNonZero = Long.MAX_VALUE, max = 0;
        for (OutcomeCount o : t.outcomes()) {
            Bar.Tone tone = switch (o.grade()) {
                case ACCEPTABLE -> Bar.Tone.GOOD;
                case ACCEPTABLE_INTERESTING -> Bar.Tone.NOTE;
                case FORBIDDEN -> Bar.Tone.BAD;
            };
            bars.add(new Bar(o.id(), o.count(), o.grade().label(), tone));
            if (o.count() > 0) minNonZero = Math.min(minNonZero, o.count());
            max = Math.max(max, o.count());
        }
        boolean log = max > 0 && minNonZero < Long.MAX_VALUE && (double) max / minNonZero >= LOG_SPAN;
        String title = "Outcomes: " + t.unit() + " per outcome, of " + Html.count(t.rounds()) + " " + t.unit()
                + (log ? " (log scale, so rare outcomes show)" : "");
        return Charts.bars(title, bars, new Axis(t.unit(), "", log));
    }

    /** The percentile plots of every latency with samples, {@value #SERIES_PER_CHART} series to a chart. */
    static List<String> latencies(TestResult t) {
        List<LatencySeries> all = new ArrayList<>();
        for (LatencySummary l : t.latencies()) {
            if (l.hdr() == null || l.count() == 0) continue;
            all.add(new LatencySeries(l.metric(), l.histogram()));
        }
        // as few charts as the palette allows, the series shared out evenly (21 series: 7 + 7 + 7, not 10 + 10 + 1)
        int charts = (all.size() + SERIES_PER_CHART - 1) / SERIES_PER_CHART;
        List<String> out = new ArrayList<>();
        for (int k = 0, from = 0; k < charts; k++) {
            int to = from + (all.size() - from + (charts - k) - 1) / (charts - k);
            String title = "Latency by percentile" + (charts == 1 ? "" : ", series " + (from + 1) + "–" + to + " of " + all.size());
            out.add(Charts.percentilePlot(title, all.subList(from, to)));
            from = to;
        }
        return out;
    }

    /** The race-window map: the share of rounds with a FORBIDDEN outcome by the invalidator's start delay. */
    static String raceWindow(GpcExtra g) {
        List<DelayBucket> buckets = new ArrayList<>();
        for (GpcExtra.WindowBucket b : g.raceWindow()) {
            buckets.add(new DelayBucket(b.delayNs(), Math.max(1, b.widthNs()), b.rounds(), Math.min(b.rounds(), b.forbiddenRounds())));
        }
        return Charts.rateVsDelay("Race window: rounds with a FORBIDDEN outcome by the invalidator's start delay", buckets);
    }

    /**
     * A table as line charts over its first column: one chart per unit of the other columns (ns
     * apart from counts), so no axis mixes units. Log axes where values span two decades.
     */
    static List<String> table(Table tb) {
        if (tb.rows().size() < 2 || tb.columns().size() < 2) return List.of();
        Map<String, List<Integer>> byUnit = new LinkedHashMap<>();
        for (int c = 1; c < tb.columns().size(); c++) byUnit.computeIfAbsent(unit(tb.columns().get(c)), u -> new ArrayList<>()).add(c);
        Table.Column xc = tb.columns().get(0);
        double[] xs = column(tb, 0);
        Axis x = new Axis(Html.words(xc.name()), unit(xc), logSpan(xs));
        List<String> charts = new ArrayList<>();
        for (var group : byUnit.entrySet()) {
            String unit = group.getKey();
            List<XySeries> series = new ArrayList<>();
            List<Double> all = new ArrayList<>();
            for (int c : group.getValue()) {
                double[] ys = column(tb, c);
                for (double y : ys) all.add(y);
                series.add(new XySeries(Html.words(tb.columns().get(c).name()), xs, ys));
            }
            double[] allY = all.stream().mapToDouble(Double::doubleValue).toArray();
            String common = commonSuffix(series.stream().map(XySeries::name).toList());
            String yLabel = TIME_UNITS.contains(unit) ? "time" : !common.isEmpty() ? common : unit.isEmpty() ? "value" : unit;
            String yUnit = TIME_UNITS.contains(unit) || !common.isEmpty() ? unit : "";
            Axis y = new Axis(yLabel, yUnit, logSpan(allY));
            String title = Html.title(tb.name()) + (byUnit.size() == 1 ? "" : ": " + String.join(", ", series.stream().map(XySeries::name).toList()));
            charts.add(Charts.lines(title, x, y, series));
        }
        return charts;
    }

    static String unit(Table.Column c) { return c.unit() == null ? "" : c.unit(); }

    /** The words every name ends with ("unfair starved", "fair starved" -> "starved"); a single name is its own. */
    static String commonSuffix(List<String> names) {
        List<String> suffix = null;
        for (String n : names) {
            List<String> w = List.of(n.split(" "));
            if (suffix == null) { suffix = w; continue; }
            int k = 0;
            while (k < suffix.size() && k < w.size() && suffix.get(suffix.size() - 1 - k).equals(w.get(w.size() - 1 - k))) k++;
            suffix = suffix.subList(suffix.size() - k, suffix.size());
        }
        return suffix == null ? "" : String.join(" ", suffix);
    }

    private static double[] column(Table tb, int c) {
        return tb.rows().stream().mapToDouble(r -> r.get(c) == null ? Double.NaN : r.get(c)).toArray();
    }

    /** Positive values spanning {@value #LOG_SPAN}x or more. */
    static boolean logSpan(double[] v) {
        double min = Double.MAX_VALUE, max = 0;
        for (double d : v) {
            if (Double.isNaN(d)) continue;
            if (d <= 0) return false;
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        return max > 0 && max / min >= LOG_SPAN;
    }

    static boolean forbiddenSeen(TestResult t) {
        return t.outcomes().stream().anyMatch(o -> o.grade() == Grade.FORBIDDEN && o.seen());
    }
}
