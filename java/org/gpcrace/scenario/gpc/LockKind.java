package org.gpcrace.scenario.gpc;

/** The rwlock of the rwlock-based protocols: spinning (rwlock_t) or sleeping (PREEMPT_RT's rwlock_t). */
public enum LockKind {
    SPIN("spin", 0), SLEEPING("sleeping", 1);

    private final String id;
    private final int code;

    LockKind(String id, int code) { this.id = id; this.code = code; }

    public String id() { return id; }

    /** GPCRACE_RWLOCK_* */
    public int code() { return code; }

    public static LockKind byId(String id) {
        for (LockKind k : values()) if (k.id.equals(id)) return k;
        throw new IllegalArgumentException("unknown --lock '" + id + "' (expected spin or sleeping)");
    }
}
