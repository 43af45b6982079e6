package org.gpcrace.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A text table as mcompare7 prints one: a header row, then rows whose cells may take several
 * lines, columns separated by '|' and sized to their widest line; a line of text across the
 * table (a test's name) may stand between rows, and a dashed rule under the header.
 */
final class TextMatrix {
    private final List<List<String>> header;
    private final List<Object> rows = new ArrayList<>();

    TextMatrix(List<List<String>> header) { this.header = header; }

    /** A row of cells; each cell one or more lines. */
    void row(List<List<String>> cells) {
        if (cells.size() != header.size()) throw new IllegalArgumentException(cells.size() + " cells for " + header.size() + " columns");
        rows.add(cells);
    }

    /** A line across the table. */
    void line(String text) { rows.add(text); }

    void print(PrintWriter out) {
        int[] w = new int[header.size()];
        List<List<List<String>>> all = new ArrayList<>();
        all.add(header);
        for (Object r : rows) if (r instanceof List<?>) all.add(cast(r));
        for (List<List<String>> r : all) for (int c = 0; c < w.length; c++) for (String l : r.get(c)) w[c] = Math.max(w[c], l.length());
        int width = 0;
        for (int x : w) width += x + 1;
        print(out, header, w);
        out.println("-".repeat(Math.max(0, width - 1)));
        for (Object r : rows) {
            if (r instanceof String s) out.println(s);
            else print(out, cast(r), w);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> cast(Object r) { return (List<List<String>>) r; }

    private static void print(PrintWriter out, List<List<String>> cells, int[] w) {
        int h = 1;
        for (List<String> c : cells) h = Math.max(h, c.size());
        for (int l = 0; l < h; l++) {
            StringBuilder s = new StringBuilder();
            for (int c = 0; c < w.length; c++) {
                String text = l < cells.get(c).size() ? cells.get(c).get(l) : "";
                s.append(c == w.length - 1 ? text : String.format("%-" + Math.max(1, w[c]) + "s|", text));
            }
            out.println(s.toString().stripTrailing());
        }
    }

    /** Words of {@code text} in lines of at most {@code width} characters (a longer word keeps its own line). */
    static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (word.isEmpty()) continue;
            if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
                out.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) line.append(' ');
            line.append(word);
        }
        if (!line.isEmpty()) out.add(line.toString());
        return out;
    }
}
