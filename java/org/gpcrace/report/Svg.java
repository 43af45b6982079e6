package org.gpcrace.report;

import java.util.List;
import java.util.Locale;

/** Minimal inline SVG charts (no script, no dependency): horizontal bars and x/y line plots. */
final class Svg {
    private Svg() {}

    static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};

    /** One labelled bar per value, log10 scale so rare outcomes stay visible. */
    static String bars(List<String> labels, List<Long> values, List<String> colors) {
        int w = 640, rowH = 22, labelW = 200, h = rowH * labels.size() + 10;
        double max = Math.log10(1 + values.stream().mapToLong(Long::longValue).max().orElse(1));
        StringBuilder s = new StringBuilder(String.format("<svg width=\"%d\" height=\"%d\" class=\"chart\">", w, h));
        for (int i = 0; i < labels.size(); i++) {
            long v = values.get(i);
            double frac = max == 0 ? 0 : Math.log10(1 + v) / max;
            int y = 5 + i * rowH;
            s.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" class=\"lbl\">%s</text>", y + 15, JunitXmlReport.esc(labels.get(i))));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
                    labelW, y, Math.max(1, frac * (w - labelW - 90)), rowH - 6, colors.get(i)));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"val\">%d</text>",
                    labelW + Math.max(1, frac * (w - labelW - 90)) + 4, y + 15, v));
        }
        return s.append("</svg>").toString();
    }

    /** A line plot of several series over the same x values; logY plots log10(y). */
    static String lines(String xLabel, String yLabel, double[] xs, List<String> names, List<double[]> ys, boolean logX, boolean logY) {
        int w = 640, h = 300, l = 70, r = 150, t = 10, b = 40;
        double x0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y0 = Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (double x : xs) { double v = tx(x, logX); x0 = Math.min(x0, v); x1 = Math.max(x1, v); }
        for (double[] series : ys) for (double y : series) { double v = tx(y, logY); y0 = Math.min(y0, v); y1 = Math.max(y1, v); }
        if (x1 <= x0) x1 = x0 + 1;
        if (y1 <= y0) y1 = y0 + 1;
        StringBuilder s = new StringBuilder(String.format("<svg width=\"%d\" height=\"%d\" class=\"chart\">", w, h));
        s.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>", l, h - b, w - r, h - b));
        s.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>", l, t, l, h - b));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"lbl\">%s%s</text>", l, h - 5, JunitXmlReport.esc(xLabel), logX ? " (log)" : ""));
        s.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"%d\" class=\"lbl\">%s%s</text>", t + 10, JunitXmlReport.esc(yLabel), logY ? " (log)" : ""));
        s.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"%d\" class=\"val\">%s</text>", h - b, fmt(inv(y0, logY))));
        s.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"%d\" class=\"val\">%s</text>", t + 24, fmt(inv(y1, logY))));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"val\">%s</text>", l, h - b + 14, fmt(inv(x0, logX))));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"val\">%s</text>", w - r - 30, h - b + 14, fmt(inv(x1, logX))));
        for (int k = 0; k < ys.size(); k++) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < xs.length && i < ys.get(k).length; i++) {
                double px = l + (tx(xs[i], logX) - x0) / (x1 - x0) * (w - l - r);
                double py = h - b - (tx(ys.get(k)[i], logY) - y0) / (y1 - y0) * (h - t - b);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
            }
            String c = COLORS[k % COLORS.length];
            s.append(String.format("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>", c, pts));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\" class=\"lbl\">%s</text>", w - r + 8, t + 14 + 16 * k, c,
                    JunitXmlReport.esc(names.get(k))));
        }
        return s.append("</svg>").toString();
    }

    private static double tx(double v, boolean log) { return log ? Math.log10(Math.max(v, 1e-9)) : v; }

    private static double inv(double v, boolean log) { return log ? Math.pow(10, v) : v; }

    private static String fmt(double v) {
        return Math.abs(v) >= 1000 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
