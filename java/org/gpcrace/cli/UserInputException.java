package org.gpcrace.cli;

/** Input the user can fix (bad value, invalid combination): one line on stderr, exit 2. */
public final class UserInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserInputException(String message) { super(message); }
}
