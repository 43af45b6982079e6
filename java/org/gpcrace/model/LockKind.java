package org.gpcrace.model;

/** The rwlock flavours of DESIGN.md section 1: only a sleeping lock can make a non-blockable invalidation sleep. */
public enum LockKind {
    SPIN("spin"), SLEEPING("sleeping");

    private final String id;

    LockKind(String id) { this.id = id; }

    public String id() { return id; }

    public static LockKind byId(String id) {
        for (LockKind k : values()) if (k.id.equals(id)) return k;
        throw new IllegalArgumentException("unknown lock '" + id + "' (expected spin or sleeping)");
    }
}
