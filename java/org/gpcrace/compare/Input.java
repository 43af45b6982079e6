package org.gpcrace.compare;

import java.util.List;
import org.gpcrace.result.HostInfo;
import org.gpcrace.result.RunInfo;

/**
 * A parsed input: a results.json (hardware or model) or a litmus7/herd7 log; or, as the reference
 * of a comparison of hosts without a model, the declared expectations of their tests. A
 * results.json's host and run blocks name its column (null where the input has none).
 */
public record Input(String file, Format format, String kind, String tool, List<TestRecord> tests, Position kindWhere,
        HostInfo host, RunInfo run) {
    public enum Format { JSON, LITMUS, DECLARED }

    public Input(String file, Format format, String kind, String tool, List<TestRecord> tests, Position kindWhere) {
        this(file, format, kind, tool, tests, kindWhere, null, null);
    }

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

    /** The directory a results.json came from (past a "latest" link): how a fleet names its hosts' copies. */
    public String origin() {
        java.nio.file.Path p = java.nio.file.Path.of(file).toAbsolutePath().normalize();
        java.nio.file.Path dir = p.getParent();
        if (dir != null && dir.getFileName() != null && dir.getFileName().toString().equals(ResultsFiles.LATEST) && dir.getParent() != null) {
            dir = dir.getParent();
        }
        return dir == null || dir.getFileName() == null ? file : dir.getFileName().toString();
    }
}
