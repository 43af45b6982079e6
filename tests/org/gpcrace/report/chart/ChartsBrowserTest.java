package org.gpcrace.report.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.report.browser.BrowserPage;
import org.junit.jupiter.api.Test;

/**
 * Every kind of chart, inlined in one page and drawn by headless Chromium: no console error, no
 * request leaving the file, each chart there with its axis labels and full legend, no text cut
 * off or drawn over another. The screenshot (target/browser/charts-demo.png) is for a person.
 */
class ChartsBrowserTest {
    /** Chart title -> texts it must show (axis labels, tick labels, legend entries). */
    static Map<String, List<String>> demo(StringBuilder html) {
        Map<String, List<String>> expect = new LinkedHashMap<>();
        html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>gpcrace charts</title><style>")
                .append("body{font-family:sans-serif;margin:24px;max-width:1100px;color:#222}")
                .append("figure{margin:0 0 28px 0}svg{max-width:100%;height:auto;display:block}</style></head><body>")
                .append("<h1>gpcrace charts</h1>");

        List<LatencySeries> latencies = ChartSamples.latencies();
        add(html, Charts.percentilePlot("Invalidation latency by source", latencies));
        List<String> lat = new ArrayList<>(List.of("Invalidation latency by source", "50%", "90%", "99%", "99.9%", "99.99%", "latency (µs"));
        latencies.forEach(s -> lat.add(s.name() + "  (n="));
        expect.put("Invalidation latency by source", lat);

        List<XySeries> sweep = ChartSamples.sweep(12);
        add(html, Charts.lines("Invalidation cost vs range size, 12 configurations", Axis.log("range", "pages"), Axis.linear("cost per call", "ns"), sweep));
        List<String> sw = new ArrayList<>(List.of("range (pages, log scale)", "cost per call (ns)", "100"));
        sweep.forEach(s -> sw.add(s.name()));
        expect.put("Invalidation cost vs range size, 12 configurations", sw);

        add(html, Charts.rateVsDelay("Race window: gpc unlocked, MADV_DONTNEED", ChartSamples.raceWindow()));
        expect.put("Race window: gpc unlocked, MADV_DONTNEED", List.of("invalidator start delay (ns)", "forbidden rounds (%)",
                "rounds in the bucket", "forbidden rounds, % of the bucket's rounds (95% Wilson interval", "rounds in the bucket (right axis)"));

        add(html, Charts.bars("Outcomes: gpc unlocked (linear scale)", ChartSamples.outcomes(), Axis.linear("rounds", "")));
        expect.put("Outcomes: gpc unlocked (linear scale)", List.of("rounds", "981,234", "1,870", "12", "ACCEPTABLE", "ACCEPTABLE_INTERESTING", "FORBIDDEN", "stale-lost"));

        add(html, Charts.bars("Outcomes: gpc unlocked (log scale, as asked)", ChartSamples.outcomes(), Axis.log("rounds", "")));
        expect.put("Outcomes: gpc unlocked (log scale, as asked)", List.of("rounds (log scale)", "981,234", "12", "FORBIDDEN"));

        html.append("</body></html>\n");
        return expect;
    }

    private static void add(StringBuilder html, String svg) { html.append("<figure>").append(svg).append("</figure>"); }

    @Test
    void chromiumDrawsEveryChartWithAxesAndFullLegends() throws Exception {
        BrowserPage.assumeAvailable();
        StringBuilder html = new StringBuilder();
        Map<String, List<String>> expect = demo(html);
        Files.createDirectories(BrowserPage.OUTPUT);
        Path page = BrowserPage.OUTPUT.resolve("charts-demo.html");
        Files.writeString(page, html, StandardCharsets.UTF_8);

        BrowserPage.Report r = BrowserPage.load(page, "charts-demo");

        assertEquals(List.of(), r.consoleErrors(), "console errors");
        assertEquals(List.of(), r.externalRequests(), "requests leaving the page");
        assertEquals("gpcrace charts", r.title());
        assertEquals(expect.size(), r.charts().size(), "one <svg> per chart");
        for (BrowserPage.Chart c : r.charts()) {
            List<String> wanted = expect.get(c.label());
            assertTrue(wanted != null, "unexpected chart " + c.label());
            assertTrue(c.width() > 700 && c.height() > 150, c.label() + " drawn at " + c.width() + "x" + c.height());
            assertTrue(c.shapes() > 20, c.label() + " has axes, grid and data: " + c.shapes() + " shapes");
            for (String w : wanted) assertTrue(c.shows(w), c.label() + " shows '" + w + "': " + c.texts());
            assertEquals(List.of(), c.textsCut(), c.label() + ": texts cut off at the chart's edge or by the plot's clip");
            assertEquals(List.of(), c.overlappingTexts(), c.label() + ": texts drawn over each other");
        }
        byte[] png = Files.readAllBytes(r.screenshot());
        assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG screenshot at " + r.screenshot());
    }
}
