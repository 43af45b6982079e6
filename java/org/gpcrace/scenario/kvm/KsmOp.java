package org.gpcrace.scenario.kvm;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.gpcrace.bridge.CapabilityMissingException;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.NativeCallException;
import org.gpcrace.protocol.Source;
import org.gpcrace.sys.HostChange;
import org.gpcrace.sys.HostChanges;
import org.gpcrace.bridge.Linux;
import org.gpcrace.sys.PageInfo;
import org.gpcrace.sys.Pagemap;

/**
 * ksm: the data region is MADV_MERGEABLE and ksmd runs for the test (run=1, sleep_millisecs=0,
 * smart_scan=0 where it exists; through HostChanges, restored after). The region's last page is a
 * twin given the pvclock page's exact content, so ksmd merges the two: try_to_merge_one_page()
 * write-protects the pvclock page (notifier) and replace_page() points it at the shared KSM frame
 * (notifier). KSM merges on ksmd's time, not in a system call: the race cannot be judged from the
 * invalidator's intervals (the trace's KVM notifier events judge it), and the sequential phase
 * waits until pagemap shows the two pages on one frame.
 */
final class KsmOp extends SourceOp {
    static final Path KSM = Path.of("/sys/kernel/mm/ksm");
    static final long MERGE_TIMEOUT_NS = 1_000_000_000L;
    private final List<HostChange> knobs = new ArrayList<>();
    private Pagemap pagemap;
    long mergeTimeouts;

    KsmOp(Source s, NativeBridge b) { super(s, b); }

    @Override Frame frame() { return Frame.MOVES; }

    @Override boolean boundedBySyscalls() { return false; }

    /** ksmd merges a page whose content stayed the same over its scans: the vCPU leaves KVM's last write in place 200 us or more. */
    @Override long vcpuGapMinNs() { return 200_000; }

    @Override void open(PvclockGuest g) {
        super.open(g);
        if (!Files.isWritable(KSM.resolve("run"))) {
            throw new CapabilityMissingException("KSM cannot be run here: " + KSM.resolve("run") + " is missing or not writable;"
                    + " run as root on a kernel with CONFIG_KSM");
        }
        try {
            bridge.madvise(g.dataBase(), g.dataBytes(), Linux.MADV_MERGEABLE);
            String what = "KSM for kvm-pvclock --source ksm";
            knobs.add(HostChanges.writeFile(KSM.resolve("sleep_millisecs"), "0", what));
            knobs.add(HostChanges.writeFile(KSM.resolve("pages_to_scan"), "256", what));
            if (Files.exists(KSM.resolve("smart_scan"))) knobs.add(HostChanges.writeFile(KSM.resolve("smart_scan"), "0", what));
            knobs.add(HostChanges.writeFile(KSM.resolve("run"), "1", what));
        } catch (java.io.IOException | NativeCallException e) {
            close();
            throw new CapabilityMissingException("KSM refused: " + e.getMessage() + "; run as root on a kernel with CONFIG_KSM");
        }
        pagemap = new Pagemap();
    }

    private MemorySegment page(long addr) { return MemorySegment.ofAddress(addr).reinterpret(Linux.PAGE_SIZE); }

    /** Gives the twin the pvclock page's content; true when it had to be written. */
    private boolean copyToTwin() {
        MemorySegment pv = page(pvclockPage()), twin = page(guest.twinAddress());
        if (pv.mismatch(twin) < 0) return false;
        twin.copyFrom(pv);
        return true;
    }

    boolean merged() {
        PageInfo a = pagemap.page(pvclockPage()), b = pagemap.page(guest.twinAddress());
        return a.frame().isPresent() && b.frame().isPresent() && a.frame().getAsLong() == b.frame().getAsLong();
    }

    /** Race: ksmd does the invalidating; the invalidator only keeps the twin equal to what KVM last wrote. */
    @Override long raceCycle(Steps steps) {
        if (guest.pvclockVersion() != 0 && (guest.pvclockVersion() & 1) == 0) copyToTwin();
        LockSupport.parkNanos(50_000);
        return 0;
    }

    /** Sequential: the twin made equal, then wait (up to 1 s) until ksmd has merged them. */
    @Override void invalidate() {
        copyToTwin();
        long until = System.nanoTime() + MERGE_TIMEOUT_NS;
        while (!merged()) {
            if (System.nanoTime() > until) {
                mergeTimeouts++;
                return;
            }
            Thread.onSpinWait();
        }
    }

    @Override Boolean effective(PageInfo before, PageInfo after) { return merged(); }

    @Override String effectMeaning() { return "the pvclock page and its twin were on one (KSM) frame after the wait (pagemap)"; }

    @Override public void close() {
        for (int i = knobs.size() - 1; i >= 0; i--) knobs.get(i).close(); // run=0 first; a failure to undo is reported by HostChanges
        knobs.clear();
        if (pagemap != null) pagemap.close();
        pagemap = null;
    }
}
