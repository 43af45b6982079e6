package org.gpcrace.compare;

/** Malformed or mismatched input: one line naming the file, the position and the problem (exit 2). */
public final class InputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InputException(Position where, String problem) {
        super(oneLine(where + ": " + problem));
    }

    /** A message that already names its position. */
    InputException(String positionedProblem) {
        super(oneLine(positionedProblem));
    }

    /** Control characters a file put into a name or a value are shown escaped, so the message stays one line. */
    static String oneLine(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '\n') b.append("\\n");
            else if (c == '\r') b.append("\\r");
            else if (c == '\t') b.append("\\t");
            else if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 || c == 0x85) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }
}
