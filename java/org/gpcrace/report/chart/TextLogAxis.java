package org.gpcrace.report.chart;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A log axis with ticks a reader can use: labelled at 1, 2, 5, 10, 20, 50... over a short range
 * and at each power of ten over a long one, with unlabelled minor ticks between. The labels are
 * plain strings: JFreeChart's LogAxis labels are attributed strings, which reach SVG as glyph
 * outlines (no text to read, search or test) and land on 1.58, 2.51, 3.98.
 */
class TextLogAxis extends LogAxis {
    private static final long serialVersionUID = 1L;

    /** Above this many decades only powers of ten are labelled. */
    private static final double DENSE_DECADES = 3.5;

    TextLogAxis(String label) {
        super(label);
        setNumberFormatOverride(new TickFormat());
    }

    /** A tick value and its label, "" for a minor tick. */
    record Tick(double value, String label) {}

    /** The ticks from {@code lo} to {@code hi}. */
    static List<Tick> ticks(double lo, double hi) {
        List<Tick> out = new ArrayList<>();
        if (!(lo > 0) || !(hi > lo)) return out;
        boolean dense = Math.log10(hi / lo) <= DENSE_DECADES;
        for (int k = (int) Math.floor(Math.log10(lo)); Math.pow(10, k) <= hi; k++) {
            double decade = Math.pow(10, k);
            for (int m = 1; m <= 9; m++) {
                double v = m * decade;
                if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9)) continue;
                boolean major = m == 1 || (dense && (m == 2 || m == 5));
                out.add(new Tick(v, major ? TickFormat.text(v) : ""));
            }
        }
        return out;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
        TextAnchor anchor = edge == RectangleEdge.LEFT ? TextAnchor.CENTER_RIGHT
                : edge == RectangleEdge.RIGHT ? TextAnchor.CENTER_LEFT
                : edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER;
        List<ValueTick> out = new ArrayList<>();
        for (Tick t : ticks(getLowerBound(), getUpperBound())) {
            TickType type = t.label().isEmpty() ? TickType.MINOR : TickType.MAJOR;
            out.add(new NumberTick(type, t.value(), t.label(), anchor, TextAnchor.CENTER, 0.0));
        }
        return out;
    }
}
