package org.gpcrace.compare;

import java.util.List;

/** A parsed input file: a results.json (hardware or model) or a litmus7/herd7 log. */
public record Input(String file, Format format, String kind, String tool, List<TestRecord> tests, Position kindWhere) {
    public enum Format { JSON, LITMUS }

    /** The short name used as a column header. */
    public String shortName() {
        String f = file;
        int slash = f.lastIndexOf('/');
        if (slash >= 0 && f.substring(slash + 1).equals("results.json") && slash > 0) {
            int prev = f.lastIndexOf('/', slash - 1);
            return f.substring(prev + 1);
        }
        return slash >= 0 ? f.substring(slash + 1) : f;
    }
}
