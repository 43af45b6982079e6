package org.gpcrace.measure;

import java.util.ArrayList;
import java.util.List;
import org.gpcrace.result.LatencySummary;

/**
 * One sweep of a probe: the same measurement at several x (range bytes, or spinner CPUs), its
 * CSV ({@code x,p50,p90,p99,max}, ns) and its cost growth (least-squares slope of p50 and p99
 * per page or per CPU).
 */
public record Sweep(String name, Axis axis, List<Point> points) {
    public enum Axis {
        /** x = range size in bytes; growth per 4 KiB page */
        BYTES("bytes", "page", 4096),
        /** x = CPUs spinning on the range besides the measuring one; growth per CPU */
        SPINNERS("spinners", "CPU", 1),
        /** x = readers in their read-side sections, one per CPU; growth per reader */
        READERS("readers", "reader", 1);

        final String column;
        final String unit;
        final long perUnit;

        Axis(String column, String unit, long perUnit) {
            this.column = column;
            this.unit = unit;
            this.perUnit = perUnit;
        }

        public String unit() { return unit; }
    }

    public record Point(long x, LatencySummary latency) {}

    /** Least-squares growth of the sweep: ns per page or per CPU, with the fit of p50. */
    public record Growth(String sweep, String per, long xFrom, long xTo, long p50From, long p50To,
            double p50SlopeNs, double p99SlopeNs, double p50FixedNs, double r2) {}

    public String csv() {
        StringBuilder b = new StringBuilder("x,p50,p90,p99,max\n");
        for (Point p : points) {
            LatencySummary l = p.latency();
            b.append(p.x()).append(',').append(l.p50()).append(',').append(l.p90()).append(',').append(l.p99()).append(',').append(l.max()).append('\n');
        }
        return b.toString();
    }

    /** The CSV's rows as maps (x column named by the axis first), for results.json and the HTML report's charts. */
    public List<java.util.Map<String, Object>> rows() {
        List<java.util.Map<String, Object>> rows = new ArrayList<>();
        for (Point p : points) {
            java.util.Map<String, Object> r = new java.util.LinkedHashMap<>();
            r.put(axis.column, p.x());
            r.put("p50", p.latency().p50());
            r.put("p90", p.latency().p90());
            r.put("p99", p.latency().p99());
            r.put("max", p.latency().max());
            rows.add(r);
        }
        return rows;
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
        return new Growth(name, axis.unit, first.x() / axis.perUnit, last.x() / axis.perUnit, first.latency().p50(),
                last.latency().p50(), f50[0], f99[0], f50[1], f50[2]);
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
