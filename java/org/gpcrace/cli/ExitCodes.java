package org.gpcrace.cli;

/** Exit statuses: 0 ok, 1 a FORBIDDEN outcome / Unexpected verdict / failure, 2 bad input. */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;
}
