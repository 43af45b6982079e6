package org.gpcrace.result;

import java.util.List;
import java.util.Map;

/**
 * kvm-pvclock-kick (kind "kick"): the cost of kicking a vCPU out of guest mode on the real kernel.
 * The same invalidation of a page the guest uses, timed with the vCPU in guest mode (its loop
 * writes the page), halted inside KVM_RUN, and not running; with the trace, the vCPU thread's
 * first kvm_exit after the invalidation began.
 *
 * @param invalidation what was timed
 * @param traced       whether exit times come from the trace (else {@code note} says why not)
 */
public record KickExtra(String invalidation, boolean traced, String note, List<State> states) implements TestExtra {
    public KickExtra {
        states = List.copyOf(states);
    }

    /**
     * One vCPU state: the invalidation's duration p50/p99; {@code exitsInWindow} of {@code samples}
     * invalidations saw the vCPU thread leave guest mode while the call ran, {@code exitAfterStart*}
     * how long after the call began, by exit reason.
     */
    public record State(String state, long samples, long invalidationP50Ns, long invalidationP99Ns, long exitsInWindow,
            long exitAfterStartP50Ns, long exitAfterStartP99Ns, Map<String, Long> exitReasons) {
        public State {
            exitReasons = Map.copyOf(exitReasons);
        }
    }
}
