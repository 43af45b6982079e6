package org.gpcrace.cli;

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
        assertTrue(SuiteCommand.steps().stream().anyMatch(s -> s instanceof LatencyCommand.Step), "the suite runs the latency pass");
        StringWriter text = new StringWriter();
        List<TestResult> tests = new java.util.ArrayList<>();
        new LatencyCommand.Step().run(new PrintWriter(text, true), out, tests::add);
        List<String> names = tests.stream().map(TestResult::name).toList();
        for (String n : List.of("latency-clock", "latency-madvise-dontneed", "latency-shootdown", "latency-refault-anon",
                "latency-futex", "latency-bridge")) {
            assertTrue(names.contains(n), n + " missing from " + names);
        }
        for (TestResult t : tests) {
            assertTrue(!"failed".equals(t.status()), t.name() + " failed: " + t.error());
            assertEquals(0, t.forbiddenCount(), t.name());
        }
        TestResult madvise = tests.stream().filter(t -> t.name().equals("latency-madvise-dontneed")).findFirst().orElseThrow();
        assertEquals(List.of("4K"), madvise.params().get("sizes"));
        assertTrue(text.toString().contains("apparatus:"), text.toString());
        assertTrue(Files.exists(out.resolve("latency-madvise.hlog")));
    }
}
