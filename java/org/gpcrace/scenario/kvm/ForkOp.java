package org.gpcrace.scenario.kvm;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.protocol.Source;
import org.gpcrace.sys.PageInfo;

/**
 * fork: fork(2) in C (gpcrace_kvm_fork_cow): copy_page_range() write-protects the guest memory for
 * copy-on-write (notifier over the VMA), the parent writes a spare byte of the pvclock page
 * (wp_page_copy: notifier, new frame for the parent), the child is released and reaped. KVM's own
 * refresh would break the COW too (hva_to_pfn asks for write access).
 */
final class ForkOp extends SourceOp {
    ForkOp(Source s, NativeBridge b) { super(s, b); }

    @Override Frame frame() { return Frame.MOVES; }

    /** Logged up to the parent's write (the C helper's clock is System.nanoTime's): reaping the child invalidates nothing of ours. */
    @Override long raceCycle(Steps steps) {
        long s = steps.begin();
        long written = bridge.kernel().forkCow(spareByte());
        return steps.end(s, written);
    }

    @Override void invalidate() { bridge.kernel().forkCow(spareByte()); }

    @Override Boolean effective(PageInfo before, PageInfo after) { return frameChanged(before, after); }

    @Override String effectMeaning() { return "the parent's page was on a new frame after its write (pagemap)"; }
}
