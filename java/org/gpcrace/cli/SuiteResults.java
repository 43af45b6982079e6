package org.gpcrace.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.gpcrace.report.ReportFiles;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.HostFacts;

/** Writes results.json (+ report.html, junit.xml) of a hardware run, atomically, after every finished test. */
public final class SuiteResults {
    private SuiteResults() {}

    public static void write(Path dir, List<TestResult> tests) throws IOException {
        write(dir, tests, Map.of());
    }

    public static void write(Path dir, List<TestResult> tests, Map<String, Object> parameters) throws IOException {
        ResultsDocument doc = new ResultsDocument(ResultsDocument.SCHEMA, "hardware", "gpcrace",
                Instant.now().toString(), HostFacts.probe().asMap(), RunParameters.common(parameters), tests);
        ReportFiles.write(dir, doc);
    }
}
