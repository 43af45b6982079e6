package org.gpcrace.fuzz;

/** What every fuzzed reader must do when it refuses: say so in one line. */
final class Fuzzing {
    private Fuzzing() {}

    static void oneLine(Exception refused) {
        String m = refused.getMessage();
        if (m == null || m.isBlank() || m.contains("\n")) throw new AssertionError("a refusal must be one line, got: " + m, refused);
    }
}
