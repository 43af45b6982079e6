package org.gpcrace.report.chart;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * The x axis of a percentile plot, as HdrHistogram draws it: the value is 1/(1-p) on a log scale,
 * so each further "nine" of the percentile takes the same width, and the ticks read as
 * percentiles: 0%, 50%, 90%, 99%, 99.9%, 99.99%, ...
 */
final class PercentileAxis extends LogAxis {
    private static final long serialVersionUID = 1L;

    PercentileAxis(String label) {
        super(label);
        setBase(10);
        setSmallestValue(1);
        setAutoRange(false);
    }

    /** x = 1/(1-p) for a percentile p in percent (0 <= p < 100). */
    static double x(double percentile) { return 1 / (1 - percentile / 100); }

    /** 0, 50, 90, 99, 99.9, ... up to the first tick at or past {@code maxX}. */
    static List<Double> tickPercentiles(double maxX) {
        List<Double> out = new ArrayList<>(List.of(0.0, 50.0));
        for (double x = 10; ; x *= 10) {
            out.add(100 - 100 / x);
            if (x >= maxX || out.size() > 12) return out;
        }
    }

    static String label(double percentile) {
        if (percentile == 0) return "0%";
        String s = TickFormat.text(percentile);
        // 99.9999 rounds to "100" in three decimals: spell the nines out instead
        if (s.equals("100")) s = new java.math.BigDecimal(percentile).round(new java.math.MathContext(8)).stripTrailingZeros().toPlainString();
        return s + "%";
    }

    @Override
    protected List<ValueTick> refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
        TextAnchor anchor = edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER;
        List<ValueTick> ticks = new ArrayList<>();
        for (double p : tickPercentiles(getUpperBound())) {
            double x = x(p);
            if (x >= getLowerBound() && x <= getUpperBound() * 1.0001) {
                ticks.add(new NumberTick(TickType.MAJOR, x, label(p), anchor, TextAnchor.CENTER, 0.0));
            }
        }
        return ticks;
    }
}
