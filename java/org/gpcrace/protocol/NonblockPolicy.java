package org.gpcrace.protocol;

/**
 * What a non-blockable invalidation (the OOM reaper's mmu_notifier_invalidate_range_start_nonblock)
 * does at a step that would wait: wait anyway by sleeping, or by spinning (either is a would-sleep
 * when the primitive is a sleeping one), return EAGAIN before waiting (the range is skipped, as the
 * OOM reaper skips a VMA), defer (mark the cache invalid, leave the waiting part to a worker that
 * may block, and let the zap proceed: the proposal NAKed in "Re: [PATCH] KVM: mmu_notifier: make
 * mn_invalidate_lock non-sleeping for non-blocking invalidations", March 2026), or, for a cache
 * used in guest mode, kick the readers out without waiting for them (no-wait: KVM_REQUEST_WAIT
 * dropped, "perform the request without KVM_REQUEST_WAIT and be sad").
 */
public enum NonblockPolicy implements org.gpcrace.util.HasId {
    SLEEP("sleep", 0), SPIN("spin", 1), EAGAIN("eagain", 2), DEFER("defer", 3), NO_WAIT("no-wait", 4);

    private final String id;
    private final int code;

    NonblockPolicy(String id, int code) { this.id = id; this.code = code; }

    @Override public String id() { return id; }

    /** GPCRACE_WAIT_* */
    public int code() { return code; }

    /** Whether the start waits at its waiting steps (sleep, spin, no-wait for everything but the kick). */
    public boolean waits() { return this == SLEEP || this == SPIN || this == NO_WAIT; }

    public static NonblockPolicy byId(String id) { return org.gpcrace.util.Ids.byId(NonblockPolicy.class, id, "--nonblock-policy"); }
}
