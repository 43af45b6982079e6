package org.gpcrace.protocol;

/**
 * What a non-blockable invalidation does at a step that would sleep, after counting it as
 * would-sleep: sleep anyway, spin until it can go on, or return EAGAIN (invalidation and zap
 * skipped for the round, as the OOM reaper skips a VMA).
 */
public enum NonblockPolicy implements org.gpcrace.util.HasId {
    SLEEP("sleep", 0), SPIN("spin", 1), EAGAIN("eagain", 2);

    private final String id;
    private final int code;

    NonblockPolicy(String id, int code) { this.id = id; this.code = code; }

    @Override public String id() { return id; }

    /** GPCRACE_WAIT_* */
    public int code() { return code; }

    public static NonblockPolicy byId(String id) { return org.gpcrace.util.Ids.byId(NonblockPolicy.class, id, "--nonblock-policy"); }
}
