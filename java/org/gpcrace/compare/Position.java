package org.gpcrace.compare;

/** Where in an input file something is: line and column (1-based, 0 when unknown) and, for JSON, the path. */
public record Position(String file, int line, int column, String path) {

    public static Position of(String file) { return new Position(file, 0, 0, null); }

    public Position at(int l, int c) { return new Position(file, l, c, path); }

    public Position path(String p) { return new Position(file, line, column, p); }

    @Override public String toString() {
        StringBuilder s = new StringBuilder(file);
        if (line > 0) s.append(':').append(line).append(':').append(Math.max(column, 1));
        if (path != null) s.append(": ").append(path);
        return s.toString();
    }
}
