package org.gpcrace.scenario.gpc;

/**
 * What a non-blockable invalidation does at a step that would sleep, after counting it as
 * would-sleep: sleep anyway, spin until it can go on, or return EAGAIN (invalidation and zap
 * skipped for the round, as the OOM reaper skips a VMA).
 */
public enum NonblockPolicy {
    SLEEP("sleep", 0), SPIN("spin", 1), EAGAIN("eagain", 2);

    private final String id;
    private final int code;

    NonblockPolicy(String id, int code) { this.id = id; this.code = code; }

    public String id() { return id; }

    /** GPCRACE_WAIT_* */
    public int code() { return code; }

    public static NonblockPolicy byId(String id) {
        for (NonblockPolicy p : values()) if (p.id.equals(id)) return p;
        throw new IllegalArgumentException("unknown --nonblock-policy '" + id + "' (expected sleep, spin or eagain)");
    }
}
