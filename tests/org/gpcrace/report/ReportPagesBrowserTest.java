package org.gpcrace.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.TestCaps;
import org.gpcrace.report.browser.BrowserPage;
import org.gpcrace.result.GpcExtra;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.ModelExtra;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.Test;

/**
 * Every report.html of the short real run (gpc, latency, kvm-pvclock, model, memslot-fairness) as headless Chromium
 * draws it: no console error, nothing fetched from outside the file, one section per test with
 * its verdict, and every chart the results call for present with its axes (labels and ticks) and
 * a legend naming each series, no text cut off or drawn over another. The expected charts are
 * derived here from results.json, not from the page. Screenshots: target/browser/report-NAME.png.
 */
class ReportPagesBrowserTest {

    /** What a test's section must draw: chart label prefix -> texts that chart must show. */
    static List<Expected> expected(TestResult t) {
        List<Expected> out = new ArrayList<>();
        if (!t.ran()) return out;
        if (!t.outcomes().isEmpty()) {
            List<String> texts = new ArrayList<>(List.of(t.unit()));
            for (OutcomeCount o : t.outcomes()) {
                texts.add(o.id());
                texts.add(o.grade().label()); // the legend names each grade shown
            }
            out.add(new Expected("Outcomes: " + t.unit() + " per outcome", texts));
        }
        List<String> metrics = t.latencies().stream().filter(l -> l.count() > 0).map(LatencySummary::metric).toList();
        if (!metrics.isEmpty()) {
            // one plot holds up to 10 series; every metric is in the legend of one of them
            int charts = (metrics.size() + 9) / 10;
            for (int i = 0; i < charts; i++) out.add(new Expected("Latency by percentile", List.of("percentile (log scale of 1/(1-p))", "latency (", "50%", "90%")));
            out.add(new Expected(null, metrics.stream().map(m -> m + "  (n=").toList()));
        }
        if (t.extra() instanceof GpcExtra g && !g.raceWindow().isEmpty()) {
            out.add(new Expected("Race window", List.of("invalidator start delay (ns)", "forbidden rounds (%)", "rounds in the bucket (right axis)",
                    "forbidden rounds, % of the bucket's rounds (95% Wilson interval")));
        }
        for (var tb : t.tables()) {
            if (tb.rows().size() < 2) continue;
            // one chart per unit of the y columns, x named by the first column, each column in a legend
            long units = tb.columns().stream().skip(1).map(c -> c.unit() == null ? "" : c.unit()).distinct().count();
            for (int i = 0; i < units; i++) out.add(new Expected(Html.title(tb.name()), List.of(Html.words(tb.columns().get(0).name()))));
            out.add(new Expected(null, tb.columns().stream().skip(1).map(c -> Html.words(c.name())).toList()));
        }
        return out;
    }

    /** A chart whose label starts with {@code label} (null: texts shown across the section's charts) and the texts it shows. */
    record Expected(String label, List<String> texts) {}

    @Test
    void everyReportOfAShortRunDrawsEveryChartWithAxesAndLegendsAndNoErrors() throws Exception {
        BrowserPage.assumeAvailable();
        Map<String, ShortRun.Command> run = ShortRun.get();
        Map<String, Path> pages = new LinkedHashMap<>();
        run.forEach((name, c) -> pages.put("report-" + name, c.file(ReportFiles.HTML)));
        Map<String, BrowserPage.Report> reports = BrowserPage.loadAll(pages, "report-pages");
        int charts = 0;
        for (var e : run.entrySet()) {
            BrowserPage.Report r = reports.get("report-" + e.getKey());
            ResultsDocument doc = e.getValue().document();
            String where = e.getKey() + " (" + r.page() + ")";
            assertEquals(List.of(), r.consoleErrors(), where + ": console errors");
            assertEquals(List.of(), r.externalRequests(), where + ": requests leaving the file");
            assertTrue(r.title().startsWith("gpcrace "), where + ": title " + r.title());
            for (int i = 0; i < doc.tests().size(); i++) {
                TestResult t = doc.tests().get(i);
                String section = "t" + (i + 1) + "-" + t.name().replaceAll("[^A-Za-z0-9_-]", "_");
                List<BrowserPage.Chart> mine = r.charts().stream().filter(c -> c.section().equals(section)).toList();
                List<Expected> want = expected(t);
                assertEquals(want.stream().filter(w -> w.label() != null).count(), mine.size(),
                        where + " " + t.name() + ": charts " + mine.stream().map(BrowserPage.Chart::label).toList());
                List<BrowserPage.Chart> left = new ArrayList<>(mine);
                for (Expected w : want) {
                    if (w.label() == null) {
                        for (String text : w.texts()) {
                            assertTrue(mine.stream().anyMatch(c -> c.shows(text)), where + " " + t.name() + ": no chart shows '" + text + "'");
                        }
                        continue;
                    }
                    BrowserPage.Chart c = left.stream().filter(x -> x.label().startsWith(w.label())).findFirst()
                            .orElseThrow(() -> new AssertionError(where + " " + t.name() + ": no chart '" + w.label() + "' in " + left));
                    left.remove(c);
                    for (String text : w.texts()) assertTrue(c.shows(text), where + " " + c.label() + " shows '" + text + "': " + c.texts());
                    assertAxesAndLegend(where, c);
                }
                charts += mine.size();
            }
            assertTrue(Files.size(r.screenshot()) > 20_000, where + ": screenshot " + r.screenshot());
        }
        assertTrue(charts >= 10, "the short run draws its charts: " + charts);
        if (TestCaps.has("kvm")) {
            TestResult kvm = run.get("kvm-pvclock").document().tests().get(0);
            assertTrue(kvm.ran(), "this machine has /dev/kvm, so kvm-pvclock must run, not skip: " + kvm.skip());
        }
        assertTrue(run.get("model").document().tests().stream().anyMatch(t -> t.extra() instanceof ModelExtra m && !m.counterexamples().isEmpty()),
                "the model run has a counterexample to show");
    }

    /** Drawn at a readable size, with a grid and data, numbers on the ticks, nothing cut or overlapping. */
    private static void assertAxesAndLegend(String where, BrowserPage.Chart c) {
        String what = where + " chart '" + c.label() + "'";
        assertTrue(c.width() > 600 && c.height() > 150, what + " drawn at " + c.width() + "x" + c.height());
        assertTrue(c.shapes() > 15, what + " has axes, grid and data: " + c.shapes() + " shapes");
        long ticks = c.texts().stream().filter(s -> s.matches("[0-9.,%]+[kMµnms]*")).count();
        assertTrue(ticks >= 3, what + " has labelled ticks: " + c.texts());
        assertEquals(List.of(), c.textsCut(), what + ": texts cut off");
        assertEquals(List.of(), c.overlappingTexts(), what + ": texts drawn over each other");
        assertFalse(c.texts().isEmpty(), what);
    }
}
