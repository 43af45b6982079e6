package org.gpcrace.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.gpcrace.result.TestResult;

/** One step of `gpcrace suite` (the main job, `make run`). */
public interface SuiteStep {
    /** Short name shown in the suite's summary. */
    String name();

    /**
     * Runs the step, printing its own report to {@code out} and handing each test to
     * {@code finished} as soon as it is done (skipped ones included, with reasons): the suite
     * rewrites results.json at once, so Ctrl-C keeps every finished test.
     */
    void run(PrintWriter out, Path outDir, Consumer<TestResult> finished) throws Exception;
}
