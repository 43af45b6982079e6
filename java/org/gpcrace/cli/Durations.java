package org.gpcrace.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * The one parser of times on the command line: "500ms", "5s", "2m", "300us", "1500ns"; a bare
 * number takes the option's default unit. Values beyond a year (or that do not fit in
 * nanoseconds) are refused, never truncated.
 */
final class Durations {
    private Durations() {}

    static final Duration MAX = Duration.ofDays(365);
    private static final String[][] UNITS = {{"ns", "1"}, {"us", "1000"}, {"µs", "1000"}, {"ms", "1000000"}, {"s", "1000000000"},
            {"min", "60000000000"}, {"m", "60000000000"}, {"h", "3600000000000"}};

    /** A positive duration; a bare number is seconds. */
    static Duration positive(String text, String option) {
        long ns = nanos(text, 1_000_000_000L, option);
        if (ns <= 0) throw new UserInputException(option + " must be positive, got '" + text + "'");
        return Duration.ofNanos(ns);
    }

    /** MIN:MAX in ns (a bare number is ns). */
    static long[] range(String text, String option) {
        String[] p = text.split(":", -1);
        if (p.length != 2) throw new UserInputException(option + " takes MIN:MAX (e.g. 0:5us), got '" + text + "'");
        long lo = nanos(p[0], 1, option), hi = nanos(p[1], 1, option);
        if (hi < lo) throw new UserInputException(option + " needs MIN <= MAX, got '" + text + "'");
        return new long[] {lo, hi};
    }

    /** {@code value} {@code unit}s in ns (e.g. --hang-ms 5 -> 5_000_000), refused when negative or beyond a year. */
    static long scaled(long value, long nsPerUnit, String option) {
        if (value < 0) throw new UserInputException(option + " must not be negative, got " + value);
        if (value > MAX.toNanos() / nsPerUnit) throw new UserInputException(option + ": " + value + " is longer than the limit of " + MAX.toDays() + " days");
        return value * nsPerUnit;
    }

    /** The same for a fractional value (--bound-ms 0.5); NaN and infinities are refused. */
    static long scaled(double value, long nsPerUnit, String option) {
        if (!Double.isFinite(value)) throw new UserInputException(option + ": '" + value + "' is not a number of " + unitName(nsPerUnit));
        if (value < 0) throw new UserInputException(option + " must not be negative, got " + value);
        if (value > (double) MAX.toNanos() / nsPerUnit) throw new UserInputException(option + ": " + value + " is longer than the limit of " + MAX.toDays() + " days");
        return Math.round(value * nsPerUnit);
    }

    private static String unitName(long nsPerUnit) {
        return nsPerUnit == 1_000_000 ? "milliseconds" : nsPerUnit == 1000 ? "microseconds" : "nanoseconds";
    }

    /** Nanoseconds, 0 .. a year; {@code bareUnit} is the ns of a number without a unit. */
    static long nanos(String text, long bareUnit, String option) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        long unit = bareUnit;
        String num = t;
        for (String[] u : UNITS) {
            if (t.endsWith(u[0]) && !(u[0].equals("s") && (t.endsWith("ns") || t.endsWith("us") || t.endsWith("ms") || t.endsWith("µs")))
                    && !(u[0].equals("m") && t.endsWith("min"))) {
                unit = Long.parseLong(u[1]);
                num = t.substring(0, t.length() - u[0].length()).strip();
                break;
            }
        }
        long whole = plainDigits(num);
        if (whole >= 0) { // the common case, exact in a long (BigDecimal's class set-up alone costs milliseconds at start)
            if (whole > MAX.toNanos() / unit) {
                throw new UserInputException(option + ": '" + text + "' is longer than the limit of " + MAX.toDays() + " days");
            }
            return whole * unit;
        }
        BigDecimal v;
        try {
            v = new BigDecimal(num);
        } catch (NumberFormatException e) {
            throw new UserInputException(option + ": '" + text + "' is not a time (e.g. 500ms, 5s, 2us, 1m)");
        }
        if (v.signum() < 0) throw new UserInputException(option + " must not be negative, got '" + text + "'");
        BigDecimal ns = v.multiply(BigDecimal.valueOf(unit));
        if (ns.compareTo(BigDecimal.valueOf(MAX.toNanos())) > 0) {
            throw new UserInputException(option + ": '" + text + "' is longer than the limit of " + MAX.toDays() + " days");
        }
        return ns.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    /** The value of 1 to 18 ASCII digits, else -1 (a sign, a point, an exponent: BigDecimal decides). */
    private static long plainDigits(String s) {
        if (s.isEmpty() || s.length() > 18) return -1;
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
