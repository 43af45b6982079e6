package org.gpcrace.model;

/**
 * What a non-blockable invalidation does at a step that would sleep, after counting it as
 * would-sleep: sleep anyway, spin until it can go on, or give up with EAGAIN (zap skipped).
 */
public enum NonblockPolicy {
    SLEEP("sleep"), SPIN("spin"), EAGAIN("eagain");

    private final String id;

    NonblockPolicy(String id) { this.id = id; }

    public String id() { return id; }

    public static NonblockPolicy byId(String id) {
        for (NonblockPolicy p : values()) if (p.id.equals(id)) return p;
        throw new IllegalArgumentException("unknown non-blockable policy '" + id + "' (expected sleep, spin or eagain)");
    }
}
