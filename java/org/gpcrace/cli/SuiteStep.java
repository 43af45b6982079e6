package org.gpcrace.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.gpcrace.result.TestResult;

/** One step of `gpcrace suite` (the main job, `make run`). */
public interface SuiteStep {
    /** Short name shown in the suite's summary. */
    String name();

    /**
     * Runs the step, printing its own report to {@code out} and returning its tests (skipped ones
     * included, with reasons) so the suite can write them to results.json and summarize them.
     */
    List<TestResult> run(PrintWriter out, Path outDir) throws Exception;
}
