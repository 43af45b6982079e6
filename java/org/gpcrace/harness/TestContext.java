package org.gpcrace.harness;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.gpcrace.result.TestResult;

/** What the runner gives a running test: Ctrl-C, progress, where results and side files go. */
public interface TestContext {
    /** True once Ctrl-C asked the run to stop: end at the next safe point with what you have, marked interrupted. */
    boolean stopRequested();

    /** {@link #stopRequested()} as a supplier, for scenario code that polls. */
    default BooleanSupplier stop() { return this::stopRequested; }

    /** Work done so far in this test (rounds, samples, runs), for the progress line. */
    void progress(long done, String unit);

    /** A finished (ungraded) result: the runner grades it, prints it and rewrites the results files. */
    void report(TestResult raw);

    /** The run's directory: side files (interval logs, CSV) go here. */
    Path directory();
}
