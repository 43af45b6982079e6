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
import org.gpcrace.result.Skip;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** JUnit XML shows FORBIDDEN outcomes as failures and skips as skips; HTML carries the charts. */
class ReportTest {
    static ResultsDocument sample() {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= 1000; i++) h.recordValue(100 + i);
        TestResult clean = new TestResult("gpc-rwlock", "gpc", Map.of("protocol", "rwlock", "expectedSafe", true), "ran", null, null,
                1000, 1, 1000, List.of(new OutcomeCount("clean", 1000, Grade.ACCEPTABLE, "ok")), null,
                List.of(LatencySummary.of("madvise", "tsc", h)),
                Map.of("raceWindow", List.of(Map.of("delayNs", 0, "violations", 0), Map.of("delayNs", 100, "violations", 3))));
        TestResult broken = new TestResult("gpc-unlocked", "gpc", Map.of("protocol", "unlocked", "expectedSafe", false), "ran", null, null,
                1000, 1, 1000, List.of(new OutcomeCount("clean", 990, Grade.ACCEPTABLE, "ok"),
                        new OutcomeCount("stale-lost", 10, Grade.FORBIDDEN, "use <after> invalidate & lost")),
                new TestResult.FirstForbidden("stale-lost", 17, 0.5), List.of(), Map.of());
        TestResult skipped = TestResult.skipped("kvm-pvclock", "kvm-pvclock", Map.of(), new Skip("no /dev/kvm", "modprobe kvm_intel"));
        return new ResultsDocument(ResultsDocument.SCHEMA, "hardware", "gpcrace", "2026-11-21T00:00:00Z",
                Map.of("kernel", "6.x"), Map.of("bridge", "ffm"), List.of(clean, broken, skipped));
    }

    @Test
    void junitXmlIsWellFormedWithFailuresAndSkips() throws Exception {
        String xml = JunitXmlReport.render(sample());
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new java.io.ByteArrayInputStream(xml.getBytes()));
        var suite = d.getDocumentElement();
        assertEquals("3", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("skipped"));
        var failure = (org.w3c.dom.Element) d.getElementsByTagName("failure").item(0);
        assertTrue(failure.getAttribute("message").contains("stale-lost=10"), failure.getAttribute("message"));
        assertTrue(failure.getAttribute("message").contains("race reproduced"));
        var skip = (org.w3c.dom.Element) d.getElementsByTagName("skipped").item(0);
        assertTrue(skip.getAttribute("message").contains("fix: modprobe kvm_intel"));
    }

    @Test
    void observationCountsRoundsNotOutcomes() {
        // 10 rounds, 8 of them with both stale-visible and stale-lost: P must be 8, P + N = 10
        TestResult t = new TestResult("gpc-x", "gpc", Map.of(), "ran", null, null, 10, 1, 10,
                List.of(new OutcomeCount("clean", 2, Grade.ACCEPTABLE, ""), new OutcomeCount("stale-visible", 8, Grade.FORBIDDEN, ""),
                        new OutcomeCount("stale-lost", 8, Grade.FORBIDDEN, "")), null, List.of(), Map.of("forbiddenRounds", 8L));
        assertEquals("Observation gpc-x Sometimes 8 2", ConsoleReport.observationLine(t));
        TestResult all = new TestResult("gpc-y", "gpc", Map.of(), "ran", null, null, 10, 1, 10,
                List.of(new OutcomeCount("stale-visible", 10, Grade.FORBIDDEN, ""), new OutcomeCount("stale-lost", 7, Grade.FORBIDDEN, "")),
                null, List.of(), Map.of("forbiddenRounds", 10L));
        assertEquals("Observation gpc-y Always 10 0", ConsoleReport.observationLine(all));
        assertEquals("Observation gpc-unlocked Sometimes 10 990", ConsoleReport.observationLine(sample().tests().get(1)),
                "without the count, outcomes are taken as exclusive per round");
    }

    @Test
    void htmlHasSummaryBarsSpectrumAndSeries() {
        String html = HtmlReport.render(sample());
        assertTrue(html.contains("gpc-unlocked") && html.contains("class=\"forbidden\""));
        assertTrue(html.contains("percentile 1/(1-p)"), "latency spectrum chart");
        assertTrue(html.contains("<h3>raceWindow</h3>"), "extra series chart");
        assertTrue(html.contains("use &lt;after&gt; invalidate &amp; lost"), "descriptions escaped");
        assertFalse(html.contains("<script"), "self-contained, no script");
    }

    @Test
    void reportCommandRegeneratesAndRejectsBadInput(@TempDir Path dir) throws Exception {
        ReportFiles.write(dir, sample());
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
