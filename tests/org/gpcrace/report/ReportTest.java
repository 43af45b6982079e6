package org.gpcrace.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.Histogram;
import org.gpcrace.CliRunner;
import org.gpcrace.result.Grade;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.Expectation;
import org.gpcrace.result.GpcExtra;
import org.gpcrace.result.Grading;
import org.gpcrace.result.ModelExtra;
import org.gpcrace.result.Skip;
import org.gpcrace.result.Table;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** JUnit XML shows FORBIDDEN outcomes as failures and skips as skips; HTML carries the charts. */
class ReportTest {
    static final Expectation SAFE = Expectation.safe("drains readers"), UNSAFE = Expectation.unsafe("negative control", "stale-visible", "stale-lost");

    static ResultsDocument sample() {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= 1000; i++) h.recordValue(100 + i);
        TestResult clean = TestResult.builder("gpc-rwlock", "gpc", Map.of("protocol", "rwlock")).expectation(SAFE).rounds(1000, 1)
                .outcome(new OutcomeCount("clean", 1000, Grade.ACCEPTABLE, "ok")).latency(LatencySummary.of("madvise", "tsc", h))
                .extra(new GpcExtra("p", "s", "f", new GpcExtra.DelayRange(0, 100, true, 100),
                        List.of(new GpcExtra.WindowBucket(0, 50, 500, 0, 0), new GpcExtra.WindowBucket(50, 50, 500, 3, 3)),
                        List.of(new GpcExtra.ActorCpu("invalidator", 0, 0)), true, Map.of())).build();
        TestResult broken = TestResult.builder("gpc-unlocked", "gpc", Map.of("protocol", "unlocked")).expectation(UNSAFE).rounds(1000, 1)
                .forbiddenRounds(10).outcome(new OutcomeCount("clean", 990, Grade.ACCEPTABLE, "ok"))
                .outcome(new OutcomeCount("stale-lost", 10, Grade.FORBIDDEN, "use <after> invalidate & lost"))
                .firstForbidden(new TestResult.FirstForbidden("stale-lost", 17, 0.5)).build();
        TestResult finding = TestResult.builder("gpc-seqcount-srcu", "gpc", Map.of("protocol", "seqcount-srcu")).expectation(SAFE).rounds(1000, 1)
                .forbiddenRounds(2).outcome(new OutcomeCount("clean", 998, Grade.ACCEPTABLE, "ok"))
                .outcome(new OutcomeCount("stale-lost", 2, Grade.FORBIDDEN, "lost")).build();
        TestResult notSeen = TestResult.builder("gpc-seqcount", "gpc", Map.of("protocol", "seqcount")).expectation(UNSAFE).rounds(1000, 1)
                .outcome(new OutcomeCount("clean", 1000, Grade.ACCEPTABLE, "ok")).outcome(new OutcomeCount("stale-lost", 0, Grade.FORBIDDEN, "lost")).build();
        TestResult skipped = TestResult.skipped("kvm-pvclock", "kvm-pvclock", Map.of(), new Skip("no /dev/kvm", "modprobe kvm_intel"));
        TestResult failed = TestResult.failed("pin", "pin", Map.of(), "io_uring_setup: ENOMEM");
        return new ResultsDocument(ResultsDocument.SCHEMA, "hardware", "gpcrace", "2026-11-21T00:00:00Z", null, null,
                java.util.stream.Stream.of(clean, broken, finding, notSeen, skipped, failed).map(Grading::grade).toList());
    }

    static org.w3c.dom.Element testcase(Document d, String name) {
        var cases = d.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            var e = (org.w3c.dom.Element) cases.item(i);
            if (e.getAttribute("name").equals(name)) return e;
        }
        throw new AssertionError("no testcase " + name);
    }

    static boolean has(org.w3c.dom.Element e, String child) { return e.getElementsByTagName(child).getLength() > 0; }

    @Test
    void junitXmlFollowsTheVerdicts() throws Exception {
        String xml = JunitXmlReport.render(sample());
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new java.io.ByteArrayInputStream(xml.getBytes()));
        var suite = d.getDocumentElement();
        assertEquals("6", suite.getAttribute("tests"));
        assertEquals("2", suite.getAttribute("failures"), "the finding and the control that did not reproduce its race");
        assertEquals("1", suite.getAttribute("errors"));
        assertEquals("1", suite.getAttribute("skipped"));
        assertFalse(suite.hasAttribute("timestamp"), "Surefire's schema has no timestamp on testsuite");
        assertFalse(has(testcase(d, "gpc-rwlock"), "failure"));
        assertFalse(has(testcase(d, "gpc-unlocked"), "failure"), "a declared-unsafe control that reproduced its race passes");
        var f = (org.w3c.dom.Element) testcase(d, "gpc-seqcount-srcu").getElementsByTagName("failure").item(0);
        assertEquals("finding", f.getAttribute("type"));
        assertTrue(f.getAttribute("message").contains("stale-lost=2"), f.getAttribute("message"));
        var n = (org.w3c.dom.Element) testcase(d, "gpc-seqcount").getElementsByTagName("failure").item(0);
        assertEquals("race-not-reproduced", n.getAttribute("type"));
        assertEquals("failed", ((org.w3c.dom.Element) testcase(d, "pin").getElementsByTagName("error").item(0)).getAttribute("type"));
        var skip = (org.w3c.dom.Element) testcase(d, "kvm-pvclock").getElementsByTagName("skipped").item(0);
        assertTrue(skip.getAttribute("message").contains("fix: modprobe kvm_intel"));
    }

    @Test
    void observationCountsRoundsNotOutcomes() {
        // 10 rounds, 8 of them with both stale-visible and stale-lost: P must be 8, P + N = 10
        TestResult t = TestResult.builder("gpc-x", "gpc", Map.of()).rounds(10, 1).forbiddenRounds(8)
                .outcome(new OutcomeCount("clean", 2, Grade.ACCEPTABLE, "")).outcome(new OutcomeCount("stale-visible", 8, Grade.FORBIDDEN, ""))
                .outcome(new OutcomeCount("stale-lost", 8, Grade.FORBIDDEN, "")).build();
        assertEquals("Observation gpc-x Sometimes 8 2", t.observationLine());
        TestResult all = TestResult.builder("gpc-y", "gpc", Map.of()).rounds(10, 1).forbiddenRounds(10)
                .outcome(new OutcomeCount("stale-visible", 10, Grade.FORBIDDEN, "")).outcome(new OutcomeCount("stale-lost", 7, Grade.FORBIDDEN, "")).build();
        assertEquals("Observation gpc-y Always 10 0", all.observationLine());
        assertEquals("Observation gpc-unlocked Sometimes 10 990", sample().tests().get(1).observationLine());
    }

    @Test
    void htmlHasIndexVerdictsChartsAndEscapesEveryString() {
        String html = HtmlReport.render(sample());
        assertTrue(html.contains("<a href=\"#t2-gpc-unlocked\">gpc-unlocked</a>") && html.contains("id=\"t2-gpc-unlocked\""), "index links to sections");
        assertTrue(html.contains("race reproduced (expected)") && html.contains("!!! finding") && html.contains("stale-lost=2"), "verdicts and why");
        assertTrue(html.contains("Declared safe:</b> no FORBIDDEN outcome may appear &mdash; drains readers"), "the expectation");
        assertTrue(html.contains("aria-label=\"Latency by percentile\""), "the percentile plot");
        assertTrue(html.contains("aria-label=\"Race window: rounds with a FORBIDDEN outcome by the invalidator&apos;s start delay\"")
                || html.contains("aria-label=\"Race window: rounds with a FORBIDDEN outcome by the invalidator's start delay\""), "the race-window map");
        assertTrue(html.contains("aria-label=\"Outcomes: rounds per outcome, of 1,000 rounds"), "outcome bars");
        assertTrue(html.contains("use &lt;after&gt; invalidate &amp; lost"), "descriptions escaped");
        assertTrue(html.contains("Skipped:</b> no /dev/kvm") && html.contains("modprobe kvm_intel"), "a skip with its fix");
        assertTrue(html.contains("Failed:</b> io_uring_setup: ENOMEM"), "a failure with its error");
        assertFalse(html.contains("<script") || html.contains("http://") && !html.contains("http://www.w3.org/2000/svg"), "self-contained");
        assertFalse(html.contains("raceWindow") || html.contains("delayNs"), "no JSON keys as titles");
    }

    @Test
    void aHostileTestNameIsTextEverywhere() {
        TestResult evil = Grading.grade(TestResult.builder("<script>alert(1)</script>\"'&", "gpc", Map.of("k<", "v>"))
                .rounds(10, 1).outcome(new OutcomeCount("<b>", 10, Grade.ACCEPTABLE, "</td>")).note("<img src=x>").build());
        String html = HtmlReport.render(new ResultsDocument(ResultsDocument.SCHEMA, "hardware", "gpcrace", "now", null, null, List.of(evil)));
        assertFalse(html.contains("<script>") || html.contains("<img") || html.contains("<b>") || html.contains("</td>\n"), "nothing unescaped");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the name shown as text");
        assertEquals("a\uD83D\uDE00b", JunitXmlReport.esc("a\uD83D\uDE00\uD800b\u0001"), "a pair kept; a lone surrogate and a control dropped");
    }

    @Test
    void aModelPageCountsFinalStatesHasTracesAndNoHost() {
        TestResult m = Grading.grade(TestResult.builder("gpc-unlocked", "gpc", Map.of("protocol", "unlocked")).expectation(UNSAFE)
                .unit("final states").rounds(100, 0.1).forbiddenRounds(84)
                .outcome(new OutcomeCount("clean", 16, Grade.ACCEPTABLE, "ok", org.gpcrace.result.Observation.Sometimes))
                .outcome(new OutcomeCount("stale-lost", 51, Grade.FORBIDDEN, "lost", org.gpcrace.result.Observation.Sometimes))
                .extra(new ModelExtra("sequential consistency", 12427, 22406, 0, 31, List.of(new ModelExtra.Counterexample("stale-lost", "",
                        List.of(new ModelExtra.Step("r0", "check: valid", List.of()), new ModelExtra.Step("invalidator", "valid = false",
                                List.of("gpc.valid: true -> false"))))))).build());
        String html = HtmlReport.render(new ResultsDocument(ResultsDocument.SCHEMA, ResultsDocument.MODEL, "gpcrace model", "now", null, null, List.of(m)));
        assertFalse(html.contains("<h2>Host</h2>"), "a model ran on no host: no empty Host section");
        assertFalse(html.contains("rounds/s") || html.contains("final states/s"), "no rate for states");
        assertTrue(html.contains("aria-label=\"Outcomes: final states per outcome, of 100 final states\""), "bars count final states");
        assertTrue(html.contains("Shortest interleaving to <code>stale-lost</code> (2 steps)") && html.contains("gpc.valid: true -&gt; false"), "the trace");
    }

    @Test
    void aTableIsChartedPerUnitWithItsColumnNamesAndUnits() {
        Table tb = new Table("updater wait by duty cycle", "wait against duty", List.of(new Table.Column("duty", ""),
                new Table.Column("fair_p50", "ns"), new Table.Column("fair_p99", "ns"), new Table.Column("fair_starved", "updates")),
                List.of(List.of(0.0, 100.0, 200.0, 0.0), List.of(0.5, 150.0, 900.0, 3.0), List.of(0.9, 400.0, 5000.0, 40.0)));
        TestResult t = Grading.grade(TestResult.builder("memslot-fairness", "memslot-fairness", Map.of()).unit("updates").rounds(10, 1)
                .table(tb).figure("refreshCostP50", 620, "ns").build());
        String html = HtmlReport.render(new ResultsDocument(ResultsDocument.SCHEMA, "hardware", "gpcrace", "now", null, null, List.of(t)));
        assertTrue(html.contains("aria-label=\"Updater wait by duty cycle: fair p50, fair p99\""), "one chart for the ns columns");
        assertTrue(html.contains("aria-label=\"Updater wait by duty cycle: fair starved\""), "another for the counts");
        assertTrue(html.contains(">time (ns)<") || html.contains(">time (ns, log scale)<"), "the y axis says its unit");
        assertTrue(html.contains(">fair starved (updates)<"), "a y axis named by its column, with the unit");
        assertEquals("starved", ResultCharts.commonSuffix(List.of("unfair starved", "fair starved")), "or by what its columns share");
        assertTrue(html.contains("title=\"fair_p50_ns\">fair p50 (ns)</th>"), "columns in words with units, the CSV header on hover");
        assertTrue(html.contains("title=\"refreshCostP50\">refresh cost p50</td>"), "figures in words");
        assertEquals("duty,fair_p50_ns,fair_p99_ns,fair_starved_updates\n0,100,200,0\n0.5,150,900,3\n0.9,400,5000,40\n", TableCsv.render(tb));
    }

    @Test
    void reportCommandRegeneratesAndRejectsBadInput(@TempDir Path dir) throws Exception {
        ReportFiles.write(dir, sample());
        assertEquals(0, CliRunner.run("report", dir.toString()).code(), "a run directory stands for its results.json");
        Files.delete(dir.resolve(ReportFiles.HTML));
        var ok = CliRunner.run("report", dir.resolve(ReportFiles.RESULTS).toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(Files.size(dir.resolve(ReportFiles.HTML)) > 1000);
        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "{not json");
        var bad = CliRunner.run("report", junk.toString());
        assertEquals(2, bad.code());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertEquals(2, CliRunner.run("report", dir.resolve("missing.json").toString()).code());
    }
}
