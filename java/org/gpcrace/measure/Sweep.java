package org.gpcrace.measure;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gpcrace.report.TableCsv;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.Table;

/**
 * One sweep of a probe: the same measurement at several x (range size, or spinner CPUs, or
 * readers) as a {@link Table} (x, then p50/p90/p99/max in ns), its CSV with the table's column
 * headers (name_unit), and its cost growth (least-squares slope of p50 and p99 per page, CPU or
 * reader, with the number of points it rests on).
 */
public record Sweep(String name, Axis axis, List<Point> points) {
    public enum Axis {
        /** x = range size in bytes; growth per 4 KiB page */
        BYTES("range", "bytes", "the range size", "page", 4096),
        /** x = CPUs spinning on the range besides the measuring one; growth per CPU */
        SPINNERS("spinners", "", "CPUs spinning on the range besides the measuring one", "CPU", 1),
        /** x = readers in their read-side sections, one per CPU; growth per reader */
        READERS("readers", "", "readers in their read-side sections, one per CPU", "reader", 1);

        final String column;
        final String columnUnit;
        final String meaning;
        final String unit;
        final long perUnit;

        Axis(String column, String columnUnit, String meaning, String unit, long perUnit) {
            this.column = column;
            this.columnUnit = columnUnit;
            this.meaning = meaning;
            this.unit = unit;
            this.perUnit = perUnit;
        }

        public String unit() { return unit; }
    }

    public record Point(long x, LatencySummary latency) {}

    /** Fewer points than this make a least-squares line that fits by construction: no r² then. */
    public static final int MIN_POINTS_FOR_R2 = 3;

    /**
     * Least-squares growth of the sweep: ns per page, CPU or reader. {@code r2} (of the p50 fit) is
     * NaN, and left out of results.json, when {@code points} is below {@link #MIN_POINTS_FOR_R2}:
     * a line through two points always fits, so r² = 1 would say nothing.
     */
    public record Growth(String sweep, String per, int points, long xFrom, long xTo, long p50From, long p50To,
            double p50SlopeNs, double p99SlopeNs, double p50FixedNs,
            @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = NoFit.class) double r2) {

        /** "r² 0.998 over 5 points", or "2 points: too few to judge the fit (a line through 2 points always fits)". */
        public String fitQuality() {
            if (Double.isNaN(r2)) {
                return points + " points: too few to judge the fit (a line through " + points + " points always fits)";
            }
            return String.format(Locale.ROOT, "r² %.3f over %d points", r2, points);
        }
    }

    /** Jackson's filter for a fit without r²: NaN is left out of the JSON. */
    static final class NoFit {
        @Override public boolean equals(Object o) { return o instanceof Double d && d.isNaN(); }

        @Override public int hashCode() { return 0; }
    }

    /** The sweep as a table: x as the axis names it, then p50, p90, p99 and max in ns. */
    public Table table() {
        List<Table.Column> cols = List.of(new Table.Column(axis.column, axis.columnUnit), new Table.Column("p50", "ns"),
                new Table.Column("p90", "ns"), new Table.Column("p99", "ns"), new Table.Column("max", "ns"));
        List<List<Double>> rows = new ArrayList<>();
        for (Point p : points) {
            LatencySummary l = p.latency();
            rows.add(List.of((double) p.x(), (double) l.p50(), (double) l.p90(), (double) l.p99(), (double) l.max()));
        }
        return new Table(name, "latency percentiles at each point; x = " + axis.meaning, cols, rows);
    }

    /** The CSV: the table's column headers (name_unit, e.g. range_bytes,p50_ns,...), one row per point. */
    public String csv() { return TableCsv.render(table()); }

    /** The table's rows as maps keyed by the CSV headers, for results.json. */
    public List<Map<String, Object>> rows() {
        Table t = table();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<Double> r : t.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int c = 0; c < t.columns().size(); c++) m.put(t.columns().get(c).header(), r.get(c).longValue());
            rows.add(m);
        }
        return rows;
    }

    /** The growth as the typed block records it (r² absent below {@link #MIN_POINTS_FOR_R2} points), with the CSV's file name. */
    public org.gpcrace.result.LatencyExtra.Growth typedGrowth(String csv) {
        Growth g = growth();
        return new org.gpcrace.result.LatencyExtra.Growth(g.sweep(), g.per(), g.points(), g.xFrom(), g.xTo(), g.p50From(), g.p50To(),
                g.p50SlopeNs(), g.p99SlopeNs(), g.p50FixedNs(), Double.isNaN(g.r2()) ? null : g.r2(), csv);
    }

    /** The growth, or null with fewer than two points. */
    public Growth growth() {
        if (points.size() < 2) return null;
        List<double[]> p50 = new ArrayList<>(), p99 = new ArrayList<>();
        for (Point p : points) {
            double x = (double) p.x() / axis.perUnit;
            p50.add(new double[] {x, p.latency().p50()});
            p99.add(new double[] {x, p.latency().p99()});
        }
        double[] f50 = fit(p50), f99 = fit(p99);
        Point first = points.get(0), last = points.get(points.size() - 1);
        double r2 = points.size() < MIN_POINTS_FOR_R2 ? Double.NaN : f50[2];
        return new Growth(name, axis.unit, points.size(), first.x() / axis.perUnit, last.x() / axis.perUnit, first.latency().p50(),
                last.latency().p50(), f50[0], f99[0], f50[1], r2);
    }

    /** The console's cost-growth table: per sweep its x range, p50 first to last, the slopes and the fit's quality. */
    public static List<String> growthLines(List<Growth> growth) {
        List<String> out = new ArrayList<>();
        if (growth.isEmpty()) return out;
        out.add(String.format("%-44s %-20s %-28s %18s %18s  %s", "COST GROWTH (least squares)", "x range", "p50 first -> last",
                "p50 slope", "p99 slope", "fit (p50)"));
        for (Growth g : growth) {
            out.add(String.format("%-44s %-20s %-28s %18s %18s  %s", g.sweep(), g.xFrom() + " -> " + g.xTo() + " " + g.per(),
                    g.p50From() + " -> " + g.p50To() + " ns", slope(g.p50SlopeNs(), g.per()), slope(g.p99SlopeNs(), g.per()),
                    g.fitQuality()));
        }
        return out;
    }

    static String slope(double ns, String per) {
        return String.format(Locale.ROOT, Math.abs(ns) >= 100 ? "%+.0f ns/%s" : "%+.1f ns/%s", ns, per);
    }

    /** Ordinary least squares: slope, intercept, r^2. */
    static double[] fit(List<double[]> xy) {
        int n = xy.size();
        double sx = 0, sy = 0;
        for (double[] p : xy) { sx += p[0]; sy += p[1]; }
        double mx = sx / n, my = sy / n, sxx = 0, sxy = 0, syy = 0;
        for (double[] p : xy) {
            sxx += (p[0] - mx) * (p[0] - mx);
            sxy += (p[0] - mx) * (p[1] - my);
            syy += (p[1] - my) * (p[1] - my);
        }
        if (sxx == 0) return new double[] {0, my, 0};
        double slope = sxy / sxx;
        double r2 = syy == 0 ? 1 : (sxy * sxy) / (sxx * syy);
        return new double[] {slope, my - slope * mx, r2};
    }

    /** A file-name-safe form of the sweep name. */
    public String fileStem() { return name.replaceAll("[^A-Za-z0-9.+-]+", "-").replaceAll("-+$", ""); }
}
