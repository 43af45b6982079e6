package org.gpcrace.scenario.kvm;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.protocol.Source;

/**
 * memslot: KVM_SET_USER_MEMORY_REGION deletes the data slot and adds it back over the other of two
 * data regions (PvclockGuest.flipDataSlot). No MMU notifier runs: every GPC sees the memslot
 * generation change in kvm_gpc_check() and refreshes to the new host address. While the slot is
 * deleted, KVM's refresh fails and the update is skipped: a run inside the interval may miss it.
 */
final class MemslotOp extends SourceOp {
    MemslotOp(Source s, NativeBridge b) { super(s, b); }

    @Override boolean alternateRegion() { return true; }

    @Override Frame frame() { return Frame.MOVES; }

    @Override boolean lasting() { return true; }

    /**
     * A slot delete ends in synchronize_srcu_expedited(&kvm->srcu), which a vCPU re-entering
     * KVM_RUN back to back (each run holds kvm->srcu) stretches from 50 us to milliseconds: the
     * vCPU pauses 100 us between runs.
     */
    @Override long vcpuGapMinNs() { return 100_000; }

    /**
     * A flip's two ioctls take 50 us alone and milliseconds against a running vCPU; a pause after
     * each, as long as the flip took (300 us at least), leaves runs that start after a whole flip
     * (the refresh to the new region) instead of a slot that is nearly always being replaced.
     */
    static final long PAUSE_NS = 300_000;

    @Override long raceCycle(Steps steps) {
        long s = steps.begin();
        invalidate();
        long d = steps.end(s);
        long until = System.nanoTime() + Math.max(PAUSE_NS, d);
        while (System.nanoTime() < until) Thread.onSpinWait();
        return d;
    }

    @Override void invalidate() { guest.flipDataSlot(); }
}
