package org.gpcrace.report.chart;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Locale;

/**
 * Tick and value labels a reader takes in at a glance: "0.25", "750", "2,500", then "10k",
 * "250k", "2.5M", "1G" from ten thousand on, so long numbers never crowd an axis.
 */
final class TickFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;
    private static final DecimalFormatSymbols ROOT = DecimalFormatSymbols.getInstance(Locale.ROOT);

    static String text(double v) {
        if (Double.isNaN(v)) return "n/a";
        if (Double.isInfinite(v)) return v > 0 ? "∞" : "-∞";
        double a = Math.abs(v);
        if (a >= 1e9) return scaled(v / 1e9) + "G";
        if (a >= 1e6) return scaled(v / 1e6) + "M";
        if (a >= 1e4) return scaled(v / 1e3) + "k";
        if (a >= 1000) return new DecimalFormat("#,##0.#", ROOT).format(v);
        if (a >= 100 || a == 0) return new DecimalFormat("0.#", ROOT).format(v);
        if (a >= 1) return new DecimalFormat("0.##", ROOT).format(v);
        if (a >= 0.001) return new DecimalFormat("0.###", ROOT).format(v);
        return String.format(Locale.ROOT, "%.2g", v);
    }

    /** 1.5, 12, 250: at most three significant digits after scaling. */
    private static String scaled(double v) {
        double a = Math.abs(v);
        return new DecimalFormat(a >= 100 ? "0" : a >= 10 ? "0.#" : "0.##", ROOT).format(v);
    }

    @Override
    public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
        return toAppendTo.append(text(number));
    }

    @Override
    public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
        return toAppendTo.append(text((double) number));
    }

    @Override
    public Number parse(String source, ParsePosition parsePosition) {
        throw new UnsupportedOperationException("tick labels are only written");
    }
}
