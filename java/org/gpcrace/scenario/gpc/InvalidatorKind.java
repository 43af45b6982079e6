package org.gpcrace.scenario.gpc;

import org.gpcrace.util.HasId;
import org.gpcrace.util.Ids;

/** Who performs the invalidation step: a C thread (default) or a Java thread through the bridge. */
public enum InvalidatorKind implements HasId {
    NATIVE("native", 0), JAVA("java", 1);

    private final String id;
    private final int code;

    InvalidatorKind(String id, int code) { this.id = id; this.code = code; }

    @Override public String id() { return id; }

    /** GPCRACE_INVALIDATOR_* */
    public int code() { return code; }

    public static InvalidatorKind byId(String id) { return Ids.byId(InvalidatorKind.class, id, "--invalidator"); }
}
