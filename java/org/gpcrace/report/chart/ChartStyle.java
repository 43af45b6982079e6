package org.gpcrace.report.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Stroke;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;

/** One look for every chart: fonts, colours, strokes, grid. */
final class ChartStyle {
    private ChartStyle() {}

    static final String FAMILY = Font.SANS_SERIF;
    static final Font TITLE = new Font(FAMILY, Font.BOLD, 15);
    static final Font AXIS_LABEL = new Font(FAMILY, Font.PLAIN, 13);
    static final Font TICK_LABEL = new Font(FAMILY, Font.PLAIN, 11);
    static final Font LEGEND = new Font(FAMILY, Font.PLAIN, 12);
    static final Font VALUE_LABEL = new Font(FAMILY, Font.PLAIN, 11);

    static final Color TEXT = new Color(0x222222);
    static final Color AXIS_LINE = new Color(0x888888);
    static final Color GRID = new Color(0xDDDDDD);
    static final Color MINOR_GRID = new Color(0xF0F0F0);
    static final Color ROUNDS_BAR = new Color(0x9AA5B1);
    static final Stroke GRID_STROKE = new BasicStroke(0.6f);

    /** Tableau 10: distinct hues that survive the common colour-vision deficiencies in pairs. */
    private static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0x79706E),
    };

    /** Beyond ten series the hues repeat, so each further round of ten gets its own dash pattern. */
    private static final float[][] DASHES = {null, {7f, 4f}, {2f, 3f}, {9f, 3f, 2f, 3f}};

    static Paint seriesPaint(int i) { return PALETTE[i % PALETTE.length]; }

    static Stroke seriesStroke(int i) {
        float[] dash = DASHES[(i / PALETTE.length) % DASHES.length];
        return dash == null ? new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND)
                : new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, dash, 0f);
    }

    static Color tone(Bar.Tone t) {
        return switch (t) {
            case NEUTRAL -> new Color(0x4E79A7);
            case GOOD -> new Color(0x59A14F);
            case NOTE -> new Color(0xF28E2B);
            case BAD -> new Color(0xD62728);
        };
    }

    /** Title, white background, legend below the plot without a frame. */
    static void chart(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(8, 8, 8, 30)); // room for half a tick label at the right end
        TextTitle title = chart.getTitle();
        if (title != null) {
            title.setFont(TITLE);
            title.setPaint(TEXT);
            title.setHorizontalAlignment(HorizontalAlignment.LEFT);
            title.setPadding(new RectangleInsets(2, 4, 8, 4));
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setPosition(RectangleEdge.BOTTOM);
            legend.setItemFont(LEGEND);
            legend.setItemPaint(TEXT);
            legend.setFrame(BlockBorder.NONE);
            legend.setBackgroundPaint(Color.WHITE);
            legend.setHorizontalAlignment(HorizontalAlignment.LEFT);
            legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 14));
            legend.setPadding(new RectangleInsets(8, 4, 0, 4));
        }
        plot(chart.getPlot());
    }

    static void plot(Plot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(AXIS_LINE);
        plot.setInsets(new RectangleInsets(4, 4, 4, 4));
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(GRID);
            xy.setRangeGridlinePaint(GRID);
            xy.setDomainGridlinesVisible(true);
            xy.setRangeGridlinesVisible(true);
            xy.setDomainGridlineStroke(GRID_STROKE);
            xy.setRangeGridlineStroke(GRID_STROKE);
            xy.setDomainMinorGridlinePaint(MINOR_GRID);
            xy.setRangeMinorGridlinePaint(MINOR_GRID);
            xy.setDomainMinorGridlineStroke(GRID_STROKE);
            xy.setRangeMinorGridlineStroke(GRID_STROKE);
            xy.setAxisOffset(RectangleInsets.ZERO_INSETS);
        }
    }

    static void axis(org.jfree.chart.axis.Axis axis) {
        axis.setLabelFont(AXIS_LABEL);
        axis.setLabelPaint(TEXT);
        axis.setTickLabelFont(TICK_LABEL);
        axis.setTickLabelPaint(TEXT);
        axis.setAxisLinePaint(AXIS_LINE);
        axis.setTickMarkPaint(AXIS_LINE);
        axis.setTickMarksVisible(true);
        axis.setTickMarkOutsideLength(4f);
    }
}
