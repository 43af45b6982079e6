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
import org.gpcrace.result.Skip;
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
                .extra(new GpcExtra("p", "s", new GpcExtra.DelayRange(0, 100, true, 100),
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
    void htmlHasSummaryBarsSpectrumAndSeries() {
        String html = HtmlReport.render(sample());
        assertTrue(html.contains("gpc-unlocked") && html.contains("class=\"forbidden\""));
        assertTrue(html.contains("percentile 1/(1-p)"), "latency spectrum chart");
        assertTrue(html.contains("race window: rounds with a FORBIDDEN outcome (%) by invalidator start delay (ns)"), "the race-window chart");
        assertTrue(html.contains("race reproduced (expected)") && html.contains("!!! finding"), "the verdicts");
        assertTrue(html.contains("use &lt;after&gt; invalidate &amp; lost"), "descriptions escaped");
        assertFalse(html.contains("<script"), "self-contained, no script");
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
