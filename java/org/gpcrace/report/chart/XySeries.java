package org.gpcrace.report.chart;

import java.util.Objects;

/** A named line of (x, y) points; NaN in y leaves a gap. */
public record XySeries(String name, double[] x, double[] y) {
    public XySeries {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values but " + y.length + " y values");
        }
        x = x.clone();
        y = y.clone();
    }

    @Override public double[] x() { return x.clone(); }

    @Override public double[] y() { return y.clone(); }

    int size() { return x.length; }

    double xAt(int i) { return x[i]; }

    double yAt(int i) { return y[i]; }
}
