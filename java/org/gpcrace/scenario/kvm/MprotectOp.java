package org.gpcrace.scenario.kvm;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.protocol.Source;
import org.gpcrace.bridge.Linux;

/**
 * mprotect: the pvclock pages read-only, then read-write again, one logged interval
 * (change_protection's notifier on each call). While read-only, KVM's refresh (hva_to_pfn with
 * FOLL_WRITE) fails and kvm_setup_guest_pvclock() skips the write: a run inside the interval may
 * legitimately miss its update. The vCPU actors' own stores are kept out of the window by the
 * {@link WriteGate}.
 */
final class MprotectOp extends SourceOp {
    private WriteGate gate;

    MprotectOp(Source s, NativeBridge b) { super(s, b); }

    @Override Frame frame() { return Frame.KEEPS; }

    @Override boolean lasting() { return true; }

    /** The gate the vCPU actors must go through for their stores. */
    WriteGate gate(int vcpus) {
        if (gate == null) gate = new WriteGate(vcpus);
        return gate;
    }

    @Override long raceCycle(Steps steps) {
        gate.close();
        try {
            long s = steps.begin();
            invalidate();
            return steps.end(s);
        } finally {
            gate.open();
        }
    }

    @Override void invalidate() {
        bridge.mprotect(pvclockPage(), pvclockBytes(), Linux.PROT_READ);
        bridge.mprotect(pvclockPage(), pvclockBytes(), Linux.PROT_RW);
    }
}
