package org.gpcrace.protocol;

/** The rwlock of the rwlock-based protocols: spinning (rwlock_t) or sleeping (PREEMPT_RT's rwlock_t). */
public enum LockKind implements org.gpcrace.util.HasId {
    SPIN("spin", 0), SLEEPING("sleeping", 1);

    private final String id;
    private final int code;

    LockKind(String id, int code) { this.id = id; this.code = code; }

    @Override public String id() { return id; }

    /** GPCRACE_RWLOCK_* */
    public int code() { return code; }

    public static LockKind byId(String id) { return org.gpcrace.util.Ids.byId(LockKind.class, id, "--lock"); }
}
