package org.gpcrace.cli;

import java.time.Duration;

/** Parses the time values of the command line: "500ms", "5s", "2m", "300us", "1500ns" (a bare number: the default unit). */
final class Units {
    private Units() {}

    /** A duration; a bare number is seconds. */
    static Duration duration(String s, String option) {
        long ns = nanos(s, 1_000_000_000L, option);
        if (ns <= 0) throw new UserInputException(option + " must be positive, got '" + s + "'");
        return Duration.ofNanos(ns);
    }

    /** MIN:MAX in ns (a bare number is ns). */
    static long[] range(String s, String option) {
        String[] p = s.split(":");
        if (p.length != 2) throw new UserInputException(option + " takes MIN:MAX (e.g. 0:5us), got '" + s + "'");
        long lo = nanos(p[0], 1, option), hi = nanos(p[1], 1, option);
        if (lo < 0 || hi < lo) throw new UserInputException(option + " needs 0 <= MIN <= MAX, got '" + s + "'");
        return new long[] {lo, hi};
    }

    static long nanos(String s, long bareUnit, String option) {
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        long unit = bareUnit;
        String num = t;
        for (String[] u : new String[][] {{"ns", "1"}, {"us", "1000"}, {"ms", "1000000"}, {"s", "1000000000"}, {"m", "60000000000"}}) {
            if (t.endsWith(u[0]) && !(u[0].equals("s") && (t.endsWith("ns") || t.endsWith("us") || t.endsWith("ms")))) {
                unit = Long.parseLong(u[1]);
                num = t.substring(0, t.length() - u[0].length()).strip();
                break;
            }
        }
        try {
            double v = Double.parseDouble(num);
            if (Double.isNaN(v) || Double.isInfinite(v)) throw new NumberFormatException();
            return Math.round(v * unit);
        } catch (NumberFormatException e) {
            throw new UserInputException(option + ": '" + s + "' is not a time (e.g. 500ms, 5s, 2us)");
        }
    }
}
