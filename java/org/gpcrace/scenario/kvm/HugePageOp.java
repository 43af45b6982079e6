package org.gpcrace.scenario.kvm;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.NativeCallException;
import org.gpcrace.protocol.Source;
import org.gpcrace.sys.Backing;
import org.gpcrace.bridge.Linux;
import org.gpcrace.sys.PageInfo;

/**
 * collapse and split, on a 2 MiB THP data region (MADV_HUGEPAGE). collapse: MADV_COLLAPSE copies
 * the region's 4 KiB pages into a new huge page (collapse_huge_page: the notifier covers the 2 MiB,
 * the frames change). split: MADV_DONTNEED of the region's last 4 KiB page splits the PMD mapping
 * (__split_huge_pmd: the notifier covers the 2 MiB, the frames stay, now mapped by PTEs). Each
 * needs the other's result first, so a cycle does both, both logged; the source's own step is the
 * one timed. MADV_COLLAPSE may refuse transiently (EAGAIN/EBUSY: a page briefly held): counted,
 * not fatal.
 */
final class HugePageOp extends SourceOp {
    long collapseRefusals;

    HugePageOp(Source s, NativeBridge b) { super(s, b); }

    @Override Backing backing() { return Backing.THP; }

    @Override Frame frame() { return source == Source.COLLAPSE ? Frame.MOVES : Frame.KEEPS; }

    private long region() { return guest.dataBase(); }

    private void split() { bridge.madvise(region() + Linux.HUGE_PAGE_SIZE - Linux.PAGE_SIZE, Linux.PAGE_SIZE, Linux.MADV_DONTNEED); }

    private void collapse() {
        try {
            bridge.madvise(region(), Linux.HUGE_PAGE_SIZE, Linux.MADV_COLLAPSE);
        } catch (NativeCallException e) {
            if (!"EAGAIN".equals(e.errnoName()) && !"EBUSY".equals(e.errnoName())) throw e;
            collapseRefusals++;
        }
    }

    @Override long raceCycle(Steps steps) {
        boolean collapseSource = source == Source.COLLAPSE;
        long s = steps.begin();
        if (collapseSource) split();
        else collapse();
        steps.end(s);
        s = steps.begin();
        if (collapseSource) collapse();
        else split();
        return steps.end(s);
    }

    @Override void prepare() {
        if (source == Source.COLLAPSE) split();
        else collapse();
    }

    @Override void invalidate() {
        if (source == Source.COLLAPSE) collapse();
        else split();
    }

    @Override Boolean effective(PageInfo before, PageInfo after) {
        if (source != Source.COLLAPSE) return null; // the PMD split keeps frames: only the trace shows it
        return frameChanged(before, after) && after.frame().isPresent() && KPageFlags.thp(after.frame().getAsLong());
    }

    @Override String effectMeaning() {
        return source == Source.COLLAPSE ? "the page was on a new frame of a transparent huge page after the call (pagemap, /proc/kpageflags)"
                : null;
    }
}
