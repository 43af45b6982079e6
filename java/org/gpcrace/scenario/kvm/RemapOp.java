package org.gpcrace.scenario.kvm;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.protocol.Source;
import org.gpcrace.bridge.Linux;
import org.gpcrace.sys.PageInfo;

/** remap: mmap(MAP_FIXED) of fresh anonymous memory over the pvclock pages (the old ones are unmapped: unmap_region's notifier). */
final class RemapOp extends SourceOp {
    RemapOp(Source s, NativeBridge b) { super(s, b); }

    @Override Frame frame() { return Frame.MOVES; }

    @Override long raceCycle(Steps steps) {
        long s = steps.begin();
        invalidate();
        return steps.end(s);
    }

    @Override void invalidate() {
        bridge.mmap(pvclockPage(), pvclockBytes(), Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS | Linux.MAP_FIXED, -1, 0);
    }

    @Override Boolean effective(PageInfo before, PageInfo after) { return frameChanged(before, after); }

    @Override String effectMeaning() { return "the old frame was no longer mapped after the call (pagemap)"; }
}
