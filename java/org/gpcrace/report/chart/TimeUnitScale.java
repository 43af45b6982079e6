package org.gpcrace.report.chart;

/**
 * The unit a latency axis is drawn in, picked from the largest value so tick labels stay short:
 * ns below 10 µs, µs below 10 ms, ms below 10 s, s beyond.
 */
enum TimeUnitScale {
    NS("ns", 1), US("µs", 1e3), MS("ms", 1e6), S("s", 1e9);

    final String symbol;
    final double nanos;

    TimeUnitScale(String symbol, double nanos) {
        this.symbol = symbol;
        this.nanos = nanos;
    }

    static TimeUnitScale forMaxNanos(double maxNs) {
        if (maxNs < 1e4) return NS;
        if (maxNs < 1e7) return US;
        if (maxNs < 1e10) return MS;
        return S;
    }

    double fromNanos(double ns) { return ns / nanos; }

    /** "1.23 µs": a value in nanoseconds in this unit, three significant digits. */
    String format(double ns) { return TickFormat.text(sig3(fromNanos(ns))) + " " + symbol; }

    private static double sig3(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) return v;
        double scale = Math.pow(10, 2 - Math.floor(Math.log10(Math.abs(v))));
        return Math.round(v * scale) / scale;
    }
}
