package org.gpcrace.scenario.kvm;

import java.nio.file.Path;
import org.gpcrace.bridge.CapabilityMissingException;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.protocol.Source;
import org.gpcrace.sys.HostChange;
import org.gpcrace.sys.HostChanges;
import org.gpcrace.sys.HostFacts;
import org.gpcrace.bridge.Linux;
import org.gpcrace.sys.PageInfo;

/**
 * dontneed, free, pageout: one madvise of the pvclock pages (zap_page_range_single /
 * madvise_free_single_vma / reclaim's try_to_unmap, each inside one MMU-notifier start/end).
 * pageout needs swap: when the host has none, a 64 MiB swap file is made for the test (HostChanges:
 * swapoff and rm after); where swapon is refused, the test is skipped with the fix. A page that
 * was just swapped in sits in the swap cache and is not paged out again until it is written back,
 * so each pageout starts from a fresh page (DONTNEED and a write, both logged, untimed: the write
 * replaces the shared zero page when a read mapped it, which is an invalidation too).
 */
final class MadviseOp extends SourceOp {
    static final long SWAP_BYTES = 64L << 20;
    private final int advice;
    private HostChange swap;

    MadviseOp(Source s, NativeBridge b) {
        super(s, b);
        this.advice = s.advice();
    }

    @Override Frame frame() {
        return switch (source) {
            case FREE -> Frame.KEEPS;       // lazy free: the frame goes only under memory pressure
            case PAGEOUT -> Frame.MAY_MOVE; // refault from the swap cache can map the same frame back
            default -> Frame.MOVES;
        };
    }

    @Override void open(PvclockGuest g) {
        super.open(g);
        if (source != Source.PAGEOUT || HostFacts.probe().hasSwap()) return;
        Path file = Path.of("/var/tmp", "gpcrace-swap-" + ProcessHandle.current().pid());
        try {
            swap = HostChanges.swapFile(file, SWAP_BYTES, "swap for kvm-pvclock --source pageout (the host has none)");
        } catch (java.io.IOException e) {
            throw new CapabilityMissingException("MADV_PAGEOUT needs swap; this host has none and swapon of a swap file was refused ("
                    + e.getMessage() + "); add swap the kernel accepts (a swap partition, or a swap file on ext4/xfs: fallocate,"
                    + " mkswap, swapon) and run again");
        }
    }

    @Override long raceCycle(Steps steps) {
        if (source == Source.PAGEOUT) {
            long s = steps.begin();
            bridge.madvise(pvclockPage(), pvclockBytes(), Linux.MADV_DONTNEED);
            steps.end(s);
            // logged too: when a vCPU's read mapped the shared zero page meanwhile, this write replaces it (wp_page_copy's notifier)
            s = steps.begin();
            touch(spareByte());
            steps.end(s);
        }
        long s = steps.begin();
        bridge.madvise(pvclockPage(), pvclockBytes(), advice);
        return steps.end(s);
    }

    @Override void prepare() {
        if (source == Source.PAGEOUT) {
            bridge.madvise(pvclockPage(), pvclockBytes(), Linux.MADV_DONTNEED);
            touch(spareByte());
        }
    }

    @Override void invalidate() { bridge.madvise(pvclockPage(), pvclockBytes(), advice); }

    @Override Boolean effective(PageInfo before, PageInfo after) {
        return switch (source) {
            case DONTNEED -> !after.present();
            case PAGEOUT -> after.swapped();
            default -> null;
        };
    }

    @Override String effectMeaning() {
        return switch (source) {
            case DONTNEED -> "the page was gone from the page table after the call (pagemap)";
            case PAGEOUT -> "the page was swapped out after the call (pagemap swap bit)";
            default -> null;
        };
    }

    @Override public void close() {
        if (swap != null) swap.close();
        swap = null;
    }
}
