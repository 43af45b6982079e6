package org.gpcrace.protocol;

/** What one reader access writes through the cache's khva. */
public enum AccessKind implements org.gpcrace.util.HasId {
    /** the oracle's counter increment, then a 32-byte versioned pvclock-like record (version odd, fields, version even) */
    PVCLOCK("pvclock", 0),
    /** the counter increment only */
    COUNTER("counter", 1);

    private final String id;
    private final int code;

    AccessKind(String id, int code) { this.id = id; this.code = code; }

    @Override public String id() { return id; }

    /** GPCRACE_ACCESS_* */
    public int code() { return code; }

    public static AccessKind byId(String id) { return org.gpcrace.util.Ids.byId(AccessKind.class, id, "--access"); }
}
