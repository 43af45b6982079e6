package org.gpcrace.compare;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Opens an input of `gpcrace compare`: a results.json (or a directory holding one) or a log with
 * Observation lines (litmus7/herd7, or gpcrace's own saved console output, whose first line is a
 * "[test-name]" header, not JSON), recognised by content, and checks it is on the expected side.
 * A directory stands for its results.json, an output root for its latest run (ResultsFiles).
 */
public final class Inputs {
    private Inputs() {}

    public enum Side { MODEL, HARDWARE, EITHER }

    public static Input open(Path path, Side side) {
        ResultsFiles.Text t = ResultsFiles.read(path);
        String file = t.file(), text = t.text();
        String head = text.stripLeading();
        Input in;
        if (head.startsWith("{") || (head.startsWith("[") && !consoleHeader(head))) in = ResultsReader.read(file, text);
        else if (LitmusLog.looksLike(text)) in = LitmusLog.read(file, text);
        else if (head.isEmpty()) throw new InputException(Position.of(file), "empty file");
        else {
            throw new InputException(Position.of(file).at(1, 1),
                    "neither JSON (a results.json starts with '{') nor a litmus log (no 'Observation NAME Never|Sometimes|Always P N' line)");
        }
        if (in.kind() != null && side != Side.EITHER) {
            String want = side == Side.MODEL ? "model" : "hardware";
            if (!want.equals(in.kind())) {
                throw new InputException(in.kindWhere(), "kind '" + in.kind() + "' where a " + want
                        + " results file is expected (gpcrace compare MODEL HARDWARE...)");
            }
        }
        return in;
    }

    /** gpcrace's console output opens with "[test-name]" alone on its line; a JSON array never does. */
    private static final Pattern CONSOLE_HEADER = Pattern.compile("\\[[^\\[\\]{}\",\\s]+]\\s*");

    static boolean consoleHeader(String head) {
        int eol = head.indexOf('\n');
        return CONSOLE_HEADER.matcher(eol < 0 ? head : head.substring(0, eol)).matches();
    }
}
