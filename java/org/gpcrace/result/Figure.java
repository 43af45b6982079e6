package org.gpcrace.result;

/** One named number a test derived (a refresh cost, a TSC frequency, a count), with its unit ("ns", "Hz", "rounds", "" for a ratio). */
public record Figure(String name, double value, String unit) {
    public Figure {
        if (!Double.isFinite(value)) throw new IllegalArgumentException("figure " + name + " is not finite: " + value);
    }
}
