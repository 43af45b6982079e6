package org.gpcrace.report.chart;

import java.util.Objects;

/**
 * One bar: its category (drawn beside it), its value (drawn at its end), and the group it belongs
 * to, which names its legend entry and, through its tone, its colour.
 */
public record Bar(String category, double value, String group, Tone tone) {
    /** The colour families a bar can take; BAD is the one red, kept for what must not happen. */
    public enum Tone { NEUTRAL, GOOD, NOTE, BAD }

    public Bar {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(tone, "tone");
        if (Double.isNaN(value) || value < 0) throw new IllegalArgumentException("bar '" + category + "' has value " + value);
    }
}
