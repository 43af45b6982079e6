package org.gpcrace.report.chart;

import java.awt.geom.Rectangle2D;
import java.util.concurrent.atomic.AtomicLong;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.block.LengthConstraintType;
import org.jfree.chart.block.RectangleConstraint;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.Size2D;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;
import org.jfree.svg.ViewBox;
import org.jfree.data.Range;

/**
 * Draws a chart into an inline SVG element: fixed width and height with a viewBox (so the page can
 * scale it), no script, no external reference, every text escaped by JFreeSVG. The height grows
 * with the title and the legend, so a long legend never squeezes the plot or gets cut.
 */
final class SvgExport {
    private SvgExport() {}

    static final int WIDTH = 880;

    static {
        // JFreeChart draws rotated text (the y axis labels) as glyph outlines by default, a
        // workaround for an old raster bug; SVG needs it as <text>, to be read, searched and tested
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    /** Ids and clip-path keys must be unique across the charts of one page. */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    static String render(JFreeChart chart, String title, int plotHeight) {
        int height = (int) Math.ceil(plotHeight + titlesHeight(chart, WIDTH));
        String id = "gpcrace-chart-" + SEQUENCE.incrementAndGet();
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, height);
        g.setDefsKeyPrefix(id + "-");
        chart.draw(g, new Rectangle2D.Double(0, 0, WIDTH, height));
        String svg = g.getSVGElement(id, true, new ViewBox(0, 0, WIDTH, height), null, null);
        // a name for screen readers and for the browser test; the class lets a page style charts
        return svg.replaceFirst("<svg ", "<svg class=\"gpcrace-chart\" role=\"img\" aria-label=\"" + SVGUtils.escapeForXML(title) + "\" ");
    }

    /** The height that the padding, title and legend take, measured with the SVG font metrics. */
    private static double titlesHeight(JFreeChart chart, int width) {
        SVGGraphics2D probe = new SVGGraphics2D(width, 100);
        RectangleInsets pad = chart.getPadding();
        double inner = width - pad.getLeft() - pad.getRight();
        double h = pad.getTop() + pad.getBottom();
        if (chart.getTitle() != null) h += height(chart.getTitle(), probe, inner);
        for (int i = 0; i < chart.getSubtitleCount(); i++) {
            Title t = chart.getSubtitle(i);
            if (t.isVisible()) h += height(t, probe, inner);
        }
        return h;
    }

    private static double height(Title t, SVGGraphics2D g, double width) {
        // as JFreeChart.drawTitle lays titles out: up to the width, any height
        double tall = 100_000;
        Size2D size = t.arrange(g, new RectangleConstraint(width, new Range(0, width), LengthConstraintType.RANGE,
                tall, new Range(0, tall), LengthConstraintType.RANGE));
        return size.getHeight();
    }
}
