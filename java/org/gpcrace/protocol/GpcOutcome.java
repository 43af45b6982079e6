package org.gpcrace.protocol;

import org.gpcrace.result.DeclaredOutcome;
import org.gpcrace.result.Grade;
import org.gpcrace.result.OutcomeSpec;

/**
 * Outcomes of one round of the GPC race, shared by the hardware arbiter
 * and the model explorer. Grades are the same for every protocol: a stale access is what the GPC
 * must never do; whether that is a finding or the race reproduced depends on
 * {@link Protocol#expectedSafe()}.
 */
public enum GpcOutcome implements DeclaredOutcome {
    CLEAN("clean", Grade.ACCEPTABLE,
            "no reader used the invalidated generation after the notifier returned"),
    STALE_VISIBLE("stale-visible", Grade.FORBIDDEN,
            "use-after-invalidate: an access with the old generation landed in the new owner's frame"),
    STALE_LOST("stale-lost", Grade.FORBIDDEN,
            "use-after-invalidate: an access with the old generation went into the frame being freed"),
    WOULD_SLEEP("would-sleep", Grade.FORBIDDEN,
            "non-blockable invalidation reached a step that sleeps (\"BUG: sleeping function called from invalid context\")"),
    EAGAIN("eagain", Grade.ACCEPTABLE_INTERESTING,
            "non-blockable invalidation returned EAGAIN: invalidation and zap skipped (OOM reaper skips the VMA)"),
    UNMAP_USE("unmap-use", Grade.FORBIDDEN,
            "an access went through a khva gpc_unmap had torn down (a fault with memremap()/vmap(), a freed frame's reuse with kmap())"),
    REAP_STALL("reap-stall", Grade.FORBIDDEN,
            "the non-blockable invalidation (the OOM reaper) waited past its bound for readers that wait for memory only it would free"),
    REFRESH_LIVELOCK("refresh-livelock", Grade.ACCEPTABLE_INTERESTING,
            "a refresh retried more than the bound (hva_to_pfn_retry as a busy wait)"),
    HANG("hang", Grade.FORBIDDEN,
            "the round exceeded its watchdog; the run stopped"),
    HARNESS_INCONSISTENCY("harness-inconsistency", Grade.FORBIDDEN,
            "an oracle identity was violated (negative stale/visible/lost): a harness bug, must stay 0");

    private final OutcomeSpec spec;

    GpcOutcome(String id, Grade grade, String description) {
        this.spec = new OutcomeSpec(id, grade, description);
    }

    @Override public OutcomeSpec spec() { return spec; }

    public boolean stale() { return this == STALE_VISIBLE || this == STALE_LOST; }

    public static GpcOutcome byId(String id) { return DeclaredOutcome.byId(GpcOutcome.class, id); }
}
