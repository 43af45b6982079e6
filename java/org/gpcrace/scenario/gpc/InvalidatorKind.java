package org.gpcrace.scenario.gpc;

/** Who performs the invalidation step: a C thread (default) or a Java thread through the bridge. */
public enum InvalidatorKind {
    NATIVE("native", 0), JAVA("java", 1);

    private final String id;
    private final int code;

    InvalidatorKind(String id, int code) { this.id = id; this.code = code; }

    public String id() { return id; }

    /** GPCRACE_INVALIDATOR_* */
    public int code() { return code; }

    public static InvalidatorKind byId(String id) {
        for (InvalidatorKind k : values()) if (k.id.equals(id)) return k;
        throw new IllegalArgumentException("unknown --invalidator '" + id + "' (expected native or java)");
    }
}
