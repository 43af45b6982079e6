package org.gpcrace.measure;

import java.util.ArrayList;
import java.util.List;

/** The console's cost-growth table: per sweep, how p50 and p99 grow per page or per CPU. */
final class GrowthTable {
    private GrowthTable() {}

    static List<String> lines(List<Sweep.Growth> growth) {
        List<String> out = new ArrayList<>();
        if (growth.isEmpty()) return out;
        out.add(String.format("%-44s %-20s %-28s %18s %18s %6s", "COST GROWTH (least squares)", "x range", "p50 first -> last",
                "p50 slope", "p99 slope", "r^2"));
        for (Sweep.Growth g : growth) {
            out.add(String.format("%-44s %-20s %-28s %18s %18s %6.3f", g.sweep(), g.xFrom() + " -> " + g.xTo() + " " + g.per(),
                    g.p50From() + " -> " + g.p50To() + " ns", slope(g.p50SlopeNs(), g.per()), slope(g.p99SlopeNs(), g.per()), g.r2()));
        }
        return out;
    }

    static String slope(double ns, String per) {
        return String.format(Math.abs(ns) >= 100 ? "%+.0f ns/%s" : "%+.1f ns/%s", ns, per);
    }
}
