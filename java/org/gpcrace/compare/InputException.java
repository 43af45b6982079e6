package org.gpcrace.compare;

/** Malformed or mismatched input: one line naming the file, the position and the problem (exit 2). */
public final class InputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InputException(Position where, String problem) {
        super(where + ": " + problem);
    }

    /** A message that already names its position. */
    InputException(String positionedProblem) {
        super(positionedProblem);
    }
}
