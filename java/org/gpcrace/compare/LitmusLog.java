package org.gpcrace.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gpcrace.result.Grade;
import org.gpcrace.result.Observation;

/**
 * Reads litmus7 / herd7 logs: every line {@code Observation NAME Never|Sometimes|Always P N}
 * becomes a test NAME with one outcome, {@value #OUTCOME} (the test's condition: P rounds or
 * final states satisfy it, N do not). Other lines are ignored, as logs carry much more.
 */
public final class LitmusLog {
    private LitmusLog() {}

    /** The outcome id of a litmus Observation line: the test's (forbidden) condition. */
    public static final String OUTCOME = "forbidden";

    private static final Pattern LINE = Pattern.compile("^(\\s*)Observation\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s*$");

    /** Whether a text looks like a litmus log at all. */
    public static boolean looksLike(String text) {
        return text.lines().anyMatch(l -> l.stripLeading().startsWith("Observation "));
    }

    public static Input read(String file, String text) {
        List<TestRecord> tests = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\\R", -1)) {
            lineNo++;
            if (!line.stripLeading().startsWith("Observation")) continue;
            Position at = Position.of(file).at(lineNo, 1);
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new InputException(at, "malformed Observation line (expected 'Observation NAME Never|Sometimes|Always P N')");
            }
            int col = m.end(1) + 1;
            Observation obs;
            try {
                obs = Observation.valueOf(m.group(3));
            } catch (IllegalArgumentException e) {
                throw new InputException(Position.of(file).at(lineNo, m.start(3) + 1), "'" + m.group(3) + "' is not Never, Sometimes or Always");
            }
            long p = number(file, lineNo, m, 4), n = number(file, lineNo, m, 5);
            if (p > Long.MAX_VALUE - n) throw new InputException(Position.of(file).at(lineNo, m.start(5) + 1), "P + N is too large");
            Observation implied = Observation.of(p, p + n);
            if (p + n > 0 && implied != obs) {
                throw new InputException(Position.of(file).at(lineNo, m.start(3) + 1),
                        obs + " contradicts P=" + p + " N=" + n + " (that is " + implied + ")");
            }
            String name = m.group(2);
            Integer before = seen.put(name, lineNo);
            if (before != null) throw new InputException(Position.of(file).at(lineNo, m.start(2) + 1), "test " + name + " already observed on line " + before);
            Position where = Position.of(file).at(lineNo, col);
            tests.add(new TestRecord(name, null, Map.of(), true, null, p + n,
                    Map.of(OUTCOME, new OutcomeRecord(OUTCOME, p, obs, Grade.FORBIDDEN, where)), Map.of(), where));
        }
        if (tests.isEmpty()) throw new InputException(Position.of(file), "no 'Observation NAME Never|Sometimes|Always P N' line");
        return new Input(file, Input.Format.LITMUS, null, null, tests, null);
    }

    private static long number(String file, int lineNo, Matcher m, int group) {
        String s = m.group(group);
        Position at = Position.of(file).at(lineNo, m.start(group) + 1);
        if (!s.matches("\\d+")) throw new InputException(at, "'" + s + "' is not a non-negative integer");
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new InputException(at, "number " + s + " is too large (more than " + Long.MAX_VALUE + ")");
        }
    }
}
