package org.gpcrace.report.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The report's charts, each returned as an SVG element to inline in an HTML page. Independent of
 * gpcrace's result types: callers pass names, numbers and histograms. Every chart has labelled
 * ticks, a grid, units on its axes and a legend below the plot that lists every series in full.
 */
public final class Charts {
    private Charts() {}

    static {
        // charts are drawn off screen: AWT must not reach for an X display, which a stale DISPLAY
        // would make fail (set before any chart class touches AWT; a caller's own choice stands)
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private static final int PLOT_HEIGHT = 340;

    /** A bucket with this many rounds has an interval narrow enough to scale the rate axis by. */
    private static final int WELL_FILLED = 100;

    /**
     * Latency percentiles in the HdrHistogram convention: x = 1/(1-p) on a log scale with ticks
     * labelled 0%, 50%, 90%, 99%, 99.9%, ...; y = latency in ns, µs or ms, whichever keeps the
     * labels short. The y axis turns logarithmic (and says so) when the slowest value is 30 times
     * the fastest median or more. Each legend entry carries the series' count, p50, p99 and max.
     */
    public static String percentilePlot(String title, List<LatencySeries> series) {
        double maxNs = 0;
        double minMedianNs = Double.MAX_VALUE;
        for (LatencySeries s : series) {
            Histogram h = s.histogram();
            if (h.getTotalCount() == 0) continue;
            maxNs = Math.max(maxNs, h.getMaxValue());
            minMedianNs = Math.min(minMedianNs, Math.max(1, h.getValueAtPercentile(50)));
        }
        TimeUnitScale unit = TimeUnitScale.forMaxNanos(maxNs);
        boolean logY = maxNs > 0 && maxNs / minMedianNs >= 30;

        XYSeriesCollection data = new XYSeriesCollection();
        LegendText.Unique keys = new LegendText.Unique();
        double maxX = 10;
        for (LatencySeries s : series) {
            Histogram h = s.histogram();
            List<double[]> points = new ArrayList<>();
            if (h.getTotalCount() > 0) {
                double lastX = 1;
                for (HistogramIterationValue v : h.percentiles(5)) {
                    double p = v.getPercentileLevelIteratedTo();
                    if (p >= 100) break;
                    lastX = PercentileAxis.x(p);
                    points.add(new double[] {lastX, v.getValueIteratedTo()});
                }
                // the maximum is a one-in-count event: it sits at x = count
                double xMax = Math.max(lastX, h.getTotalCount());
                points.add(new double[] {xMax, h.getMaxValue()});
                maxX = Math.max(maxX, xMax);
            }
            // a 0 ns value has no place on a log axis; the legend counts what it leaves out
            long zeros = logY ? points.stream().filter(pt -> pt[1] <= 0).count() : 0;
            String label = latencyLegend(s, unit) + (zeros == 0 ? "" : "  (" + zeros + " zero-latency points not shown on the log scale)");
            org.jfree.data.xy.XYSeries line = new org.jfree.data.xy.XYSeries(keys.of(LegendText.wrap(label)), false, true);
            for (double[] pt : points) if (!logY || pt[1] > 0) line.add(pt[0], unit.fromNanos(pt[1]));
            data.addSeries(line);
        }

        PercentileAxis x = new PercentileAxis("percentile (log scale of 1/(1-p))");
        x.setRange(1, maxX * 1.25);
        Axis yAxis = new Axis("latency", unit.symbol, logY);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        JFreeChart chart = xyChart(title, data, x, valueAxis(yAxis, true), r);
        chart.getXYPlot().setDomainMinorGridlinesVisible(true);
        return SvgExport.render(chart, title, PLOT_HEIGHT);
    }

    private static String latencyLegend(LatencySeries s, TimeUnitScale unit) {
        Histogram h = s.histogram();
        if (h.getTotalCount() == 0) return s.name() + "  (no samples)";
        return s.name() + "  (n=" + count(h.getTotalCount()) + ", p50 " + unit.format(h.getValueAtPercentile(50))
                + ", p99 " + unit.format(h.getValueAtPercentile(99)) + ", max " + unit.format(h.getMaxValue()) + ")";
    }

    /**
     * Lines through (x, y) points, with markers when there are few points. A log axis leaves out
     * the points it cannot show (zero or negative) and the legend entry says how many.
     */
    public static String lines(String title, Axis xAxis, Axis yAxis, List<XySeries> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        LegendText.Unique keys = new LegendText.Unique();
        int maxPoints = 0;
        boolean nonNegative = true;
        for (XySeries s : series) {
            List<double[]> points = new ArrayList<>();
            int hidden = 0;
            for (int i = 0; i < s.size(); i++) {
                double px = s.xAt(i), py = s.yAt(i);
                if (Double.isNaN(px)) continue;
                if ((xAxis.log() && px <= 0) || (yAxis.log() && py <= 0)) {
                    hidden++;
                    continue;
                }
                if (py < 0) nonNegative = false;
                points.add(new double[] {px, py});
            }
            String label = s.name() + (hidden == 0 ? "" : "  (" + hidden + (hidden == 1 ? " point" : " points") + " ≤ 0 not shown on the log scale)");
            org.jfree.data.xy.XYSeries line = new org.jfree.data.xy.XYSeries(keys.of(LegendText.wrap(label)), true, true);
            for (double[] p : points) line.add(p[0], Double.isNaN(p[1]) ? null : (Number) p[1]);
            data.addSeries(line);
            maxPoints = Math.max(maxPoints, points.size());
        }
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, maxPoints <= 40);
        JFreeChart chart = xyChart(title, data, valueAxis(xAxis, false), valueAxis(yAxis, nonNegative), r);
        chart.getXYPlot().setDomainMinorGridlinesVisible(xAxis.log());
        chart.getXYPlot().setRangeMinorGridlinesVisible(yAxis.log());
        return SvgExport.render(chart, title, PLOT_HEIGHT);
    }

    /**
     * The race-window map: the share of rounds that ended FORBIDDEN against the invalidator's start
     * delay, one point per bucket with its 95% Wilson interval, over grey bars giving the rounds in
     * each bucket (right axis), so a high rate from few rounds is seen for what it is.
     */
    public static String rateVsDelay(String title, List<DelayBucket> buckets) {
        // the rate axis fits the rates and the intervals of well-filled buckets; the wide interval
        // of a bucket with a handful of rounds may run past the top, and the legend says so
        double top = 1;
        double maxHigh = 0;
        double from = Double.MAX_VALUE, to = -Double.MAX_VALUE;
        for (DelayBucket b : buckets) {
            from = Math.min(from, b.startNs());
            to = Math.max(to, b.startNs() + b.widthNs());
            if (b.rounds() == 0) continue;
            double[] ci = Wilson.interval(b.forbidden(), b.rounds());
            top = Math.max(top, 150.0 * b.forbidden() / b.rounds());
            if (b.rounds() >= WELL_FILLED) top = Math.max(top, 100 * ci[1]);
            maxHigh = Math.max(maxHigh, 100 * ci[1]);
        }
        top = Math.min(100, top * 1.05);
        String cut = maxHigh > top ? "; intervals of sparse buckets run past the top" : "";
        YIntervalSeries rate = new YIntervalSeries("forbidden rounds, % of the bucket's rounds (95% Wilson interval" + cut + ")");
        XYIntervalSeries rounds = new XYIntervalSeries("rounds in the bucket (right axis)");
        for (DelayBucket b : buckets) {
            rounds.add(b.centreNs(), b.startNs(), b.startNs() + b.widthNs(), b.rounds(), b.rounds(), b.rounds());
            if (b.rounds() == 0) continue;
            double[] ci = Wilson.interval(b.forbidden(), b.rounds());
            rate.add(b.centreNs(), 100.0 * b.forbidden() / b.rounds(), 100 * ci[0], 100 * ci[1]);
        }
        YIntervalSeriesCollection rateData = new YIntervalSeriesCollection();
        rateData.addSeries(rate);
        XYIntervalSeriesCollection roundData = new XYIntervalSeriesCollection();
        roundData.addSeries(rounds);

        NumberAxis x = (NumberAxis) valueAxis(Axis.linear("invalidator start delay", "ns"), false);
        if (to > from) x.setRange(from, to);
        NumberAxis rateAxis = (NumberAxis) valueAxis(Axis.linear("forbidden rounds", "%"), true);
        rateAxis.setRange(0, top);
        XYErrorRenderer rateRenderer = new XYErrorRenderer();
        rateRenderer.setDefaultLinesVisible(true);
        rateRenderer.setDefaultShapesVisible(true);
        Color bad = ChartStyle.tone(Bar.Tone.BAD);
        rateRenderer.setSeriesPaint(0, bad);
        rateRenderer.setSeriesStroke(0, ChartStyle.seriesStroke(0));
        rateRenderer.setErrorPaint(bad);
        rateRenderer.setErrorStroke(new BasicStroke(1.2f));
        rateRenderer.setCapLength(6);
        rateRenderer.setLegendLine(new Line2D.Double(-10, 0, 10, 0));

        XYPlot plot = new XYPlot(rateData, x, rateAxis, rateRenderer);
        NumberAxis roundAxis = (NumberAxis) valueAxis(Axis.linear("rounds in the bucket", ""), true);
        roundAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        roundAxis.setUpperMargin(0.1);
        plot.setRangeAxis(1, roundAxis);
        plot.setDataset(1, roundData);
        plot.mapDatasetToRangeAxis(1, 1);
        XYBarRenderer bars = new XYBarRenderer(0.04);
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setUseYInterval(false);
        bars.setSeriesPaint(0, new Color(ChartStyle.ROUNDS_BAR.getRed(), ChartStyle.ROUNDS_BAR.getGreen(), ChartStyle.ROUNDS_BAR.getBlue(), 110));
        bars.setDrawBarOutline(false);
        bars.setLegendBar(new Rectangle2D.Double(-8, -5, 16, 10));
        plot.setRenderer(1, bars);
        // bars (dataset 1) behind the rate line (dataset 0)
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE);
        plot.setNoDataMessage("no rounds");
        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE, plot, true);
        ChartStyle.chart(chart);
        return SvgExport.render(chart, title, PLOT_HEIGHT);
    }

    /** Horizontal bars, one colour for all, the legend naming what the bars count. */
    public static String bars(String title, List<String> categories, List<? extends Number> values, Axis valueAxis) {
        if (categories.size() != values.size()) {
            throw new IllegalArgumentException(categories.size() + " categories but " + values.size() + " values");
        }
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < categories.size(); i++) {
            bars.add(new Bar(categories.get(i), values.get(i).doubleValue(), valueAxis.label(), Bar.Tone.NEUTRAL));
        }
        return bars(title, bars, valueAxis);
    }

    /**
     * Horizontal bars with their exact value at the end, coloured by tone, one legend entry per
     * group. The scale is linear unless the value axis asks for a log scale; its label then says
     * "log scale", and bars start at 0.5 so a count of 1 still shows.
     */
    public static String bars(String title, List<Bar> bars, Axis valueAxis) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        LegendText.Unique keys = new LegendText.Unique();
        List<Color> paints = new ArrayList<>();
        LegendItemCollection legend = new LegendItemCollection();
        List<String> groups = new ArrayList<>();
        boolean integral = true;
        double max = 0;
        for (Bar b : bars) {
            data.addValue(b.value(), "value", keys.of(b.category()));
            Color c = ChartStyle.tone(b.tone());
            paints.add(c);
            integral &= b.value() == Math.rint(b.value());
            max = Math.max(max, b.value());
            String g = b.group() + "\u0000" + b.tone();
            if (!groups.contains(g)) {
                groups.add(g);
                legend.add(new LegendItem(LegendText.wrap(b.group()), null, null, null, new Rectangle2D.Double(-6, -6, 12, 12), c));
            }
        }
        CategoryAxis cats = new CategoryAxis(null);
        ChartStyle.axis(cats);
        cats.setTickLabelFont(ChartStyle.LEGEND);
        cats.setMaximumCategoryLabelWidthRatio(0.38f);
        cats.setMaximumCategoryLabelLines(3);
        cats.setCategoryMargin(0.3);
        cats.setLowerMargin(0.02);
        cats.setUpperMargin(0.02);
        ValueAxis values;
        if (valueAxis.log()) {
            LogAxis log = new TextLogAxis(valueAxis.text());
            log.setSmallestValue(0.5);
            log.setRange(0.5, Math.max(10, max) * 12); // room for the value label of the longest bar
            values = log;
        } else {
            NumberAxis lin = new NumberAxis(valueAxis.text());
            lin.setNumberFormatOverride(new TickFormat());
            if (integral) lin.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            lin.setAutoRangeIncludesZero(true);
            lin.setUpperMargin(0.14);
            values = lin;
        }
        ChartStyle.axis(values);
        BarRenderer r = new BarRenderer() {
            private static final long serialVersionUID = 1L;

            @Override
            public java.awt.Paint getItemPaint(int row, int column) { return paints.get(column); }
        };
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(false);
        r.setMaximumBarWidth(0.2);
        if (valueAxis.log()) r.setBase(0.5);
        r.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", exact()));
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultItemLabelFont(ChartStyle.VALUE_LABEL);
        r.setDefaultItemLabelPaint(ChartStyle.TEXT);
        r.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        r.setItemLabelInsets(new org.jfree.chart.ui.RectangleInsets(4, 4, 4, 4));
        CategoryPlot plot = new CategoryPlot(data, cats, values, r);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_RIGHT);
        plot.setRangeGridlinePaint(ChartStyle.GRID);
        plot.setRangeGridlineStroke(ChartStyle.GRID_STROKE);
        plot.setRangeGridlinesVisible(true);
        plot.setDomainGridlinesVisible(false);
        plot.setFixedLegendItems(legend);
        plot.setNoDataMessage("no values");
        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE, plot, true);
        ChartStyle.chart(chart);
        return SvgExport.render(chart, title, Math.max(130, 36 * bars.size() + 60));
    }

    private static JFreeChart xyChart(String title, XYSeriesCollection data, ValueAxis x, ValueAxis y, XYLineAndShapeRenderer r) {
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesPaint(i, ChartStyle.seriesPaint(i));
            r.setSeriesStroke(i, ChartStyle.seriesStroke(i));
            r.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-3, -3, 6, 6));
        }
        r.setLegendLine(new Line2D.Double(-12, 0, 12, 0));
        r.setDrawSeriesLineAsPath(true);
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setNoDataMessage("no data");
        JFreeChart chart = new JFreeChart(title, ChartStyle.TITLE, plot, true);
        ChartStyle.chart(chart);
        return chart;
    }

    /** A NumberAxis or LogAxis labelled with unit (and "log scale"), ticks in {@link TickFormat}. */
    private static ValueAxis valueAxis(Axis a, boolean fromZero) {
        ValueAxis axis;
        if (a.log()) {
            LogAxis log = new TextLogAxis(a.text());
            log.setMinorTickCount(9);
            log.setMinorTickMarksVisible(true);
            axis = log;
        } else {
            NumberAxis lin = new NumberAxis(a.text());
            lin.setNumberFormatOverride(new TickFormat());
            lin.setAutoRangeIncludesZero(fromZero);
            axis = lin;
        }
        ChartStyle.axis(axis);
        return axis;
    }

    private static DecimalFormat exact() { return new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)); }

    private static String count(long n) { return exact().format(n); }
}
