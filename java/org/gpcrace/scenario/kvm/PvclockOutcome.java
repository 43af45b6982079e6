package org.gpcrace.scenario.kvm;

import org.gpcrace.result.DeclaredOutcome;
import org.gpcrace.result.Grade;
import org.gpcrace.result.OutcomeSpec;

/**
 * What one KVM_RUN of the kvm-pvclock scenario showed. Before the run the
 * harness zeroes the pvclock structure; KVM must rewrite it through the vCPU's pv_time GPC on
 * entry. The invalidator's [start, end] intervals decide what a missing update means. A run has
 * exactly one of the first four outcomes; slow-run and hang come on top.
 */
public enum PvclockOutcome implements DeclaredOutcome {
    UPDATED("updated", Grade.ACCEPTABLE,
            "KVM rewrote the zeroed pvclock (version even, non-zero; system_time not going back)"),
    UPDATED_AFTER_REFRESH("updated-after-refresh", Grade.ACCEPTABLE_INTERESTING,
            "an invalidation completed since the previous run: KVM had to refresh the GPC, and the update arrived"),
    INVALIDATED_DURING("invalidated-during", Grade.ACCEPTABLE,
            "an invalidation overlapped [zero, read]: the update may be gone with the old frame"),
    LOST_UPDATE("lost-update", Grade.FORBIDDEN,
            "no invalidation overlapped and the update is missing: KVM wrote into a frame the mapping no longer has"),
    SLOW_RUN("slow-run", Grade.ACCEPTABLE_INTERESTING,
            "a KVM_RUN took longer than the bound (--run-bound-ms): the refresh looped or the vCPU thread waited"),
    HANG("hang", Grade.FORBIDDEN,
            "a KVM_RUN exceeded the watchdog (--hang-ms); the run stopped");

    private final OutcomeSpec spec;

    PvclockOutcome(String id, Grade grade, String description) {
        this.spec = new OutcomeSpec(id, grade, description);
    }

    @Override public OutcomeSpec spec() { return spec; }
}
