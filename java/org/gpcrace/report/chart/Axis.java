package org.gpcrace.report.chart;

import java.util.Objects;

/**
 * One axis of a chart: what it measures, its unit, and whether it is logarithmic. A log axis says
 * so in its label ("(ns, log scale)"), so a reader never mistakes it for a linear one.
 */
public record Axis(String label, String unit, boolean log) {
    public Axis {
        Objects.requireNonNull(label, "label");
        unit = unit == null ? "" : unit;
    }

    public static Axis linear(String label, String unit) { return new Axis(label, unit, false); }

    public static Axis log(String label, String unit) { return new Axis(label, unit, true); }

    /** The label as drawn: "start delay (ns)", "latency (µs, log scale)", "rounds (log scale)". */
    public String text() {
        String scale = log ? "log scale" : "";
        String inBrackets = unit.isEmpty() ? scale : scale.isEmpty() ? unit : unit + ", " + scale;
        return inBrackets.isEmpty() ? label : label + " (" + inBrackets + ")";
    }
}
