package org.gpcrace.cli;

import org.gpcrace.result.Grading;

/**
 * Exit statuses: 0 ok, 1 a finding / a failed test / an Unexpected verdict, 2 bad input,
 * 3 inconclusive (a declared-unsafe control did not reproduce its race), 130 Ctrl-C. The test
 * commands take theirs from {@link Grading}, the one place verdicts are decided.
 */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = Grading.EXIT_OK;
    public static final int FAILURE = Grading.EXIT_FINDING;
    public static final int BAD_INPUT = Grading.EXIT_BAD_INPUT;
    public static final int INCONCLUSIVE = Grading.EXIT_INCONCLUSIVE;
    public static final int INTERRUPTED = Grading.EXIT_INTERRUPTED;
}
