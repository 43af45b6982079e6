package org.gpcrace.scenario.gpc;

/** What one reader access writes through the cache's khva. */
public enum AccessKind {
    /** the oracle's counter increment, then a 32-byte versioned pvclock-like record (version odd, fields, version even) */
    PVCLOCK("pvclock", 0),
    /** the counter increment only */
    COUNTER("counter", 1);

    private final String id;
    private final int code;

    AccessKind(String id, int code) { this.id = id; this.code = code; }

    public String id() { return id; }

    /** GPCRACE_ACCESS_* */
    public int code() { return code; }

    public static AccessKind byId(String id) {
        for (AccessKind a : values()) if (a.id.equals(id)) return a;
        throw new IllegalArgumentException("unknown --access '" + id + "' (expected pvclock or counter)");
    }
}
