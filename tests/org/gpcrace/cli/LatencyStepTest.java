package org.gpcrace.cli;

import org.gpcrace.CliRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite's short latency pass: listed in the suite, runs its probes, none fails, the figures are printed. */
class LatencyStepTest {
    @TempDir Path out;

    @Test
    void shortPassRunsEveryProbeItNames() throws Exception {
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text, true);
        var probes = LatencyCommand.suiteTests(w, SuiteScale.FULL);
        assertTrue(SuiteCommand.tests(org.gpcrace.bridges.Bridges.open(), w, SuiteScale.QUICK).stream()
                .anyMatch(t -> t instanceof org.gpcrace.measure.ProbeTest), "the suite runs the latency pass");
        var dir = org.gpcrace.harness.RunDirectory.create(out, "latency");
        var settings = new org.gpcrace.harness.Runner.Settings("hardware", "gpcrace", null, null, false, org.gpcrace.harness.Progress.Mode.QUIET);
        List<TestResult> tests = new org.gpcrace.harness.Runner(dir, settings, w, new PrintWriter(java.io.Writer.nullWriter())).run(probes).results();
        List<String> names = tests.stream().map(TestResult::name).toList();
        for (String n : List.of("latency-clock", "latency-madvise-dontneed", "latency-shootdown", "latency-refault-anon",
                "latency-futex", "latency-bridge")) {
            assertTrue(names.contains(n), n + " missing from " + names);
        }
        for (TestResult t : tests) {
            assertTrue(t.status() != org.gpcrace.result.Status.FAILED, t.name() + " failed: " + t.error());
            assertEquals(0, t.forbiddenRounds(), t.name());
        }
        TestResult madvise = tests.stream().filter(t -> t.name().equals("latency-madvise-dontneed")).findFirst().orElseThrow();
        assertEquals(List.of("4K"), madvise.params().get("sizes"));
        assertTrue(text.toString().contains("apparatus:"), text.toString());
        assertTrue(Files.exists(dir.file("hlog/latency-madvise.intervals/dontneed_4K_sp0_op.hlog")), "the probe's interval log, one per series");
    }
}
