package org.gpcrace.report.chart;

import java.util.HashSet;
import java.util.Set;

/** Legend labels: never cut, wrapped onto further lines when longer than the chart is wide. */
final class LegendText {
    private LegendText() {}

    /** About what one line of 12 px legend text holds across an 880 px chart. */
    static final int MAX_LINE = 110;

    static String wrap(String label) {
        StringBuilder out = new StringBuilder();
        String rest = label;
        while (rest.length() > MAX_LINE) {
            int cut = breakAt(rest);
            out.append(rest, 0, cut).append('\n');
            rest = rest.substring(cut).stripLeading();
        }
        return out.append(rest).toString();
    }

    /** The last space (or '/', ',', '-') within a line, else a hard break at the line's end. */
    private static int breakAt(String s) {
        for (int i = MAX_LINE; i > MAX_LINE / 2; i--) {
            char c = s.charAt(i);
            if (c == ' ') return i;
            if (c == '/' || c == ',' || c == '-') return i + 1;
        }
        return MAX_LINE;
    }

    /** Series keys must be unique in a JFreeChart dataset; a repeated name gets " (2)", " (3)". */
    static final class Unique {
        private final Set<String> seen = new HashSet<>();

        String of(String name) {
            String key = name;
            for (int n = 2; !seen.add(key); n++) key = name + " (" + n + ")";
            return key;
        }
    }
}
