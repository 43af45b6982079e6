package org.gpcrace.report.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Each chart is well-formed SVG with its title, axis labels, tick labels and a full legend. */
class ChartsTest {
    static final String SVG_NS = "http://www.w3.org/2000/svg";

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** Every text drawn, in document order (a wrapped legend label is several). */
    static List<String> texts(Document d) {
        NodeList nodes = d.getElementsByTagNameNS(SVG_NS, "text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) out.add(nodes.item(i).getTextContent());
        return out;
    }

    static boolean has(List<String> texts, String s) { return texts.stream().anyMatch(t -> t.contains(s)); }

    static void assertSelfContained(String svg, Document d) {
        Element root = d.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals(SVG_NS, root.getNamespaceURI());
        double w = Double.parseDouble(root.getAttribute("width")), h = Double.parseDouble(root.getAttribute("height"));
        assertEquals(SvgExport.WIDTH, w, "fixed width");
        assertTrue(h >= 150 && h < 2000, "fixed height: " + h);
        String[] box = root.getAttribute("viewBox").split(" ");
        assertEquals(List.of(0.0, 0.0, w, h), List.of(Double.parseDouble(box[0]), Double.parseDouble(box[1]), Double.parseDouble(box[2]), Double.parseDouble(box[3])));
        assertEquals("img", root.getAttribute("role"));
        assertFalse(svg.contains("<script"), "no script");
        assertFalse(svg.contains("<image"), "no images");
        // the only URLs are the namespace names; url(#...) references stay inside the element
        var urls = Pattern.compile("(?:href|src)\\s*=\\s*\"(?!#)|url\\((?!#)").matcher(svg);
        assertFalse(urls.find(), "an external reference: " + (urls.find(0) ? svg.substring(urls.start(), Math.min(svg.length(), urls.start() + 60)) : ""));
    }

    @Test
    void percentilePlotHasPercentileTicksUnitsAndOneLegendEntryPerSeries() throws Exception {
        String svg = Charts.percentilePlot("madvise latency", ChartSamples.latencies());
        Document d = parse(svg);
        assertSelfContained(svg, d);
        List<String> t = texts(d);
        assertTrue(has(t, "madvise latency"), t.toString());
        for (String tick : List.of("0%", "50%", "90%", "99%", "99.9%", "99.99%")) assertTrue(t.contains(tick), tick + " in " + t);
        assertTrue(has(t, "percentile"), t.toString());
        assertTrue(has(t, "latency (µs"), "µs picked for a 1-60 µs range: " + t);
        for (LatencySeries s : ChartSamples.latencies()) assertTrue(has(t, s.name() + "  (n="), s.name() + " in " + t);
        assertTrue(has(t, "p99 "), t.toString());
    }

    @Test
    void percentilePlotInNanosecondsAndLinearWhenTheSpreadIsSmall() throws Exception {
        Histogram h = new Histogram(3);
        for (int i = 0; i < 1000; i++) h.recordValue(100 + i % 50);
        List<String> t = texts(parse(Charts.percentilePlot("tight", List.of(new LatencySeries("clock read", h)))));
        assertTrue(t.contains("latency (ns)"), t.toString());
        assertFalse(has(t, "log scale)") && has(t, "latency (ns, log"), t.toString());
    }

    @Test
    void aSeriesWithoutSamplesKeepsItsLegendEntry() throws Exception {
        List<String> t = texts(parse(Charts.percentilePlot("partly empty", List.of(
                new LatencySeries("measured", ChartSamples.latency(9, 500, 1000)), new LatencySeries("never ran", new Histogram(3))))));
        assertTrue(has(t, "never ran  (no samples)"), t.toString());
    }

    @Test
    void twelveSeriesGiveTwelveLegendEntriesNoneCut() throws Exception {
        List<XySeries> sweep = ChartSamples.sweep(12);
        String svg = Charts.lines("invalidation cost vs range", Axis.log("range", "pages"), Axis.linear("cost", "ns"), sweep);
        Document d = parse(svg);
        assertSelfContained(svg, d);
        List<String> t = texts(d);
        for (XySeries s : sweep) assertEquals(1, t.stream().filter(x -> x.equals(s.name())).count(), "one full legend entry for " + s.name() + " in " + t);
        assertTrue(t.contains("range (pages, log scale)"), t.toString());
        assertTrue(t.contains("cost (ns)"), t.toString());
        // labelled ticks on both axes
        assertTrue(t.contains("10") && t.contains("100"), "log ticks: " + t);
        assertTrue(t.stream().filter(x -> x.matches("[0-9.,]+k?")).count() >= 6, "numeric tick labels: " + t);
        // one line per series
        long lines = d.getElementsByTagNameNS(SVG_NS, "path").getLength();
        assertTrue(lines >= 12, "at least one path per series, got " + lines);
    }

    @Test
    void aLegendLabelLongerThanTheChartIsWrappedNotCut() throws Exception {
        String longName = "invalidation (notifier start to the last reader leaving its read-side critical section, "
                + "measured with the TSC on the invalidating CPU) and then some more words to pass the width";
        List<String> t = texts(parse(Charts.lines("long legend", Axis.linear("x", ""), Axis.linear("y", ""),
                List.of(new XySeries(longName, new double[] {1, 2}, new double[] {3, 4})))));
        String joined = String.join(" ", t);
        assertTrue(joined.contains(longName), "every word of the legend label is drawn: " + t);
        assertTrue(t.stream().noneMatch(x -> x.length() > LegendText.MAX_LINE), "no legend line longer than the chart: " + t);
    }

    @Test
    void logAxisPointsItCannotShowAreCountedInTheLegend() throws Exception {
        List<String> t = texts(parse(Charts.lines("zeros", Axis.linear("x", ""), Axis.log("count", "rounds"),
                List.of(new XySeries("violations", new double[] {1, 2, 3}, new double[] {0, 5, 50})))));
        assertTrue(has(t, "violations  (1 point ≤ 0 not shown on the log scale)"), t.toString());
        assertTrue(t.contains("count (rounds, log scale)"), t.toString());
    }

    @Test
    void rateVsDelayShowsRateAxisDelayAxisAndRoundsPerBucket() throws Exception {
        String svg = Charts.rateVsDelay("race window: gpc unlocked", ChartSamples.raceWindow());
        Document d = parse(svg);
        assertSelfContained(svg, d);
        List<String> t = texts(d);
        assertTrue(t.contains("invalidator start delay (ns)"), t.toString());
        assertTrue(t.contains("forbidden rounds (%)"), t.toString());
        assertTrue(t.contains("rounds in the bucket"), t.toString());
        assertTrue(has(t, "forbidden rounds, % of the bucket's rounds (95% Wilson interval"), t.toString());
        assertTrue(has(t, "rounds in the bucket (right axis)"), t.toString());
        assertTrue(t.contains("1,000") || t.contains("1,000.0") || t.contains("2,000"), "round-count ticks: " + t);
    }

    @Test
    void wilsonIntervalIsHonestForZeroAndFull() {
        double[] zero = Wilson.interval(0, 10);
        assertEquals(0, zero[0], 1e-12);
        assertEquals(0.2775, zero[1], 1e-3);
        double[] all = Wilson.interval(10, 10);
        assertEquals(0.7225, all[0], 1e-3);
        assertEquals(1, all[1], 1e-12);
        double[] half = Wilson.interval(500, 1000);
        assertEquals(0.469, half[0], 1e-3);
        assertEquals(0.531, half[1], 1e-3);
    }

    @Test
    void barsAreLinearWithExactValuesAndOneLegendEntryPerGroup() throws Exception {
        String svg = Charts.bars("gpc-unlocked outcomes", ChartSamples.outcomes(), Axis.linear("rounds", ""));
        Document d = parse(svg);
        assertSelfContained(svg, d);
        List<String> t = texts(d);
        assertTrue(t.contains("rounds"), "value axis label, no log scale: " + t);
        assertFalse(has(t, "log scale"), t.toString());
        for (String v : List.of("981,234", "1,870", "12", "0")) assertTrue(t.contains(v), "exact value " + v + " in " + t);
        for (String g : List.of("ACCEPTABLE", "ACCEPTABLE_INTERESTING", "FORBIDDEN")) assertEquals(1, t.stream().filter(g::equals).count(), g + " once in " + t);
        assertTrue(has(t, "stale-lost") && has(t, "use-after-free") && has(t, "clean"), t.toString());
        assertTrue(t.contains("200k") || t.contains("250k") || t.contains("500k"), "labelled linear ticks: " + t);
    }

    @Test
    void barsOnALogScaleOnlyWhenAskedAndThenSaySo() throws Exception {
        List<String> t = texts(parse(Charts.bars("outcomes, log", List.of("a", "b"), List.of(1, 100_000), Axis.log("rounds", ""))));
        assertTrue(t.contains("rounds (log scale)"), t.toString());
        assertTrue(t.contains("100,000") && t.contains("1"), t.toString());
    }

    @Test
    void everyTextIsEscaped() throws Exception {
        String nasty = "a <b> & \"c\" 'd' </svg><script>alert(1)</script>";
        String svg = Charts.bars(nasty, List.of(new Bar(nasty, 3, nasty, Bar.Tone.BAD)), Axis.linear(nasty, "<u>"));
        assertFalse(svg.contains("<script>"), "raw markup leaked");
        assertFalse(svg.contains("<b>"), "raw markup leaked");
        Document d = parse(svg);
        assertEquals(nasty, d.getDocumentElement().getAttribute("aria-label"));
        List<String> t = texts(d);
        assertTrue(t.contains(nasty), "title drawn verbatim after unescaping: " + t);
        assertTrue(t.contains(nasty + " (<u>)"), "axis label: " + t);
        String lines = Charts.lines(nasty, Axis.linear(nasty, "&"), Axis.linear("y", ""), List.of(new XySeries(nasty, new double[] {1}, new double[] {1})));
        assertTrue(texts(parse(lines)).contains(nasty), "legend entry");
        String pct = Charts.percentilePlot(nasty, List.of(new LatencySeries(nasty, ChartSamples.latency(1, 100, 100))));
        assertTrue(texts(parse(pct)).contains(nasty));
        assertTrue(texts(parse(Charts.rateVsDelay(nasty, ChartSamples.raceWindow()))).contains(nasty));
    }

    @Test
    void idsAreUniqueAcrossChartsOfOnePage() throws Exception {
        String a = Charts.lines("a", Axis.linear("x", ""), Axis.linear("y", ""), ChartSamples.sweep(2));
        String b = Charts.lines("a", Axis.linear("x", ""), Axis.linear("y", ""), ChartSamples.sweep(2));
        Element ra = parse(a).getDocumentElement(), rb = parse(b).getDocumentElement();
        assertFalse(ra.getAttribute("id").equals(rb.getAttribute("id")));
        var clip = Pattern.compile("id=\"([^\"]+)\"").matcher(a);
        while (clip.find()) assertFalse(b.contains("id=\"" + clip.group(1) + "\""), "id " + clip.group(1) + " in both charts");
    }

    @Test
    void emptyInputStillGivesAValidChart() throws Exception {
        for (String svg : List.of(Charts.percentilePlot("empty", List.of()), Charts.lines("empty", Axis.log("x", ""), Axis.log("y", ""), List.of()),
                Charts.rateVsDelay("empty", List.of()), Charts.bars("empty", List.of(), Axis.linear("rounds", "")))) {
            Document d = parse(svg);
            assertSelfContained(svg, d);
            List<String> t = texts(d);
            assertTrue(t.contains("no data") || t.contains("no rounds") || t.contains("no values"), "says there is nothing: " + t);
        }
        Document d = parse(Charts.rateVsDelay("one empty bucket", List.of(new DelayBucket(0, 100, 0, 0))));
        assertTrue(texts(d).contains("invalidator start delay (ns)"), texts(d).toString());
    }

    @Test
    void zeroLatenciesOnALogAxisAreCountedNotPlotted() throws Exception {
        Histogram h = new Histogram(3);
        for (int i = 0; i < 100; i++) h.recordValue(0);
        for (int i = 0; i < 900; i++) h.recordValue(1000 + i);
        h.recordValue(90_000);
        List<String> t = texts(parse(Charts.percentilePlot("with zeros", List.of(new LatencySeries("clock", h)))));
        assertTrue(t.contains("latency (µs, log scale)"), t.toString());
        assertTrue(has(t, "zero-latency points not shown on the log scale"), t.toString());
    }

    @Test
    void badInputIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> new XySeries("s", new double[2], new double[3]));
        assertTrue(e.getMessage().contains("'s' has 2 x values but 3 y values"));
        assertThrows(IllegalArgumentException.class, () -> new DelayBucket(0, 10, 5, 6));
        assertThrows(IllegalArgumentException.class, () -> Charts.bars("t", List.of("a"), List.of(1, 2), Axis.linear("v", "")));
    }

    @Test
    void tickLabelsAreShortAndExact() {
        assertEquals("0", TickFormat.text(0));
        assertEquals("0.25", TickFormat.text(0.25));
        assertEquals("750", TickFormat.text(750));
        assertEquals("2,500", TickFormat.text(2500));
        assertEquals("10k", TickFormat.text(10_000));
        assertEquals("2.5M", TickFormat.text(2_500_000.0 * 1));
        assertEquals("99.99%", PercentileAxis.label(99.99));
        assertEquals("99.999%", PercentileAxis.label(99.999));
        assertEquals("99.9999%", PercentileAxis.label(99.9999));
        assertEquals("1.23 µs", TimeUnitScale.US.format(1234));
    }
}
