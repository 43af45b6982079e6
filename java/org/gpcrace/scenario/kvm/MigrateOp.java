package org.gpcrace.scenario.kvm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gpcrace.bridge.CapabilityMissingException;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.protocol.Source;
import org.gpcrace.bridge.Linux;
import org.gpcrace.sys.PageInfo;
import org.gpcrace.sys.ProcFiles;

/**
 * migrate: page migration (migrate_pages -> try_to_migrate: the notifier covers the page, the
 * content moves to a new frame). With more than one NUMA node holding memory, move_pages(2) moves
 * the pvclock page to the next node each time. With one node there is nowhere to move it to, so
 * the source compacts every zone (a write to /proc/sys/vm/compact_memory), which migrates the
 * pages compaction chooses: the pvclock page moves only sometimes (counted from pagemap).
 */
final class MigrateOp extends SourceOp {
    static final Path COMPACT = Path.of("/proc/sys/vm/compact_memory");
    static final int MPOL_MF_MOVE = 2;
    static final long POOL_PAGES = 4096;
    static final long SYS_MREMAP = 25;
    static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;
    private final List<Integer> nodes;
    private int next;

    MigrateOp(Source s, NativeBridge b) {
        super(s, b);
        this.nodes = memoryNodes();
    }

    /** The NUMA nodes with memory (/sys/devices/system/node/has_memory, "0-1,3"). */
    static List<Integer> memoryNodes() {
        List<Integer> out = new ArrayList<>();
        for (String part : ProcFiles.read("/sys/devices/system/node/has_memory").orElse("0").split(",")) {
            if (part.isBlank()) continue;
            String[] r = part.trim().split("-");
            int a = Integer.parseInt(r[0]), b = r.length > 1 ? Integer.parseInt(r[1]) : a;
            for (int n = a; n <= b; n++) out.add(n);
        }
        return out;
    }

    boolean compaction() { return nodes.size() < 2; }

    /** One line for the results: how pages are migrated on this host. */
    String how() {
        return compaction() ? "one NUMA node with memory: move_pages has nowhere to move the page, so compaction of every zone"
                + " (/proc/sys/vm/compact_memory) migrates the pages it chooses" : "move_pages(2) across NUMA nodes " + nodes;
    }

    @Override Frame frame() { return compaction() ? Frame.MAY_MOVE : Frame.MOVES; }

    @Override void open(PvclockGuest g) {
        super.open(g);
        if (compaction() && !Files.isWritable(COMPACT)) {
            throw new CapabilityMissingException("compaction cannot be asked for here: " + COMPACT + " is missing or not writable;"
                    + " run as root on a kernel with CONFIG_COMPACTION (or on a host with two NUMA nodes, for move_pages)");
        }
    }

    @Override long raceCycle(Steps steps) {
        if (compaction()) {
            long s = steps.begin();
            prepare();
            steps.end(s);
        }
        long s = steps.begin();
        invalidate();
        return steps.end(s);
    }

    /** Compaction: the lowest-frame page of a fresh pool moved onto the pvclock page (mremap), where compaction will pick it. */
    @Override void prepare() {
        if (!compaction()) return;
        long bytes = POOL_PAGES * Linux.PAGE_SIZE;
        long pool = bridge.mmap(0, bytes, Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
        try {
            bridge.madvise(pool, bytes, Linux.MADV_NOHUGEPAGE);
            MemorySegment.ofAddress(pool).reinterpret(bytes).fill((byte) 0); // every page faulted in
            long lowest = lowestFramePage(pool);
            if (lowest == 0) return; // frames hidden: compaction alone
            bridge.syscall(SYS_MREMAP, lowest, Linux.PAGE_SIZE, Linux.PAGE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, pvclockPage(), 0);
        } finally {
            bridge.munmap(pool, bytes);
        }
    }

    /** The pool page on the lowest frame (one pagemap read of the whole pool), or 0 when frames read as 0. */
    private long lowestFramePage(long pool) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(Path.of("/proc/self/pagemap"))) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) POOL_PAGES * 8).order(java.nio.ByteOrder.nativeOrder());
            long off = pool / Linux.PAGE_SIZE * 8;
            while (b.hasRemaining()) if (ch.read(b, off + b.position()) < 0) break;
            long best = 0, bestPfn = Long.MAX_VALUE;
            for (int i = 0; i < POOL_PAGES; i++) {
                long pfn = b.getLong(i * 8) & ((1L << 55) - 1);
                if (pfn != 0 && pfn < bestPfn) {
                    bestPfn = pfn;
                    best = pool + i * Linux.PAGE_SIZE;
                }
            }
            return best;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override void invalidate() {
        if (compaction()) {
            try {
                Files.writeString(COMPACT, "1");
            } catch (IOException e) {
                throw new IllegalStateException("write 1 to " + COMPACT + ": " + e.getMessage(), e);
            }
            return;
        }
        int target = nodes.get(next++ % nodes.size());
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pages = a.allocate(JAVA_LONG, 1), node = a.allocate(JAVA_INT, 1), status = a.allocate(JAVA_INT, 1);
            pages.set(JAVA_LONG, 0, pvclockPage());
            node.set(JAVA_INT, 0, target);
            bridge.syscall(Linux.SYS_MOVE_PAGES, 0, 1, pages.address(), node.address(), status.address(), MPOL_MF_MOVE);
        }
    }

    @Override Boolean effective(PageInfo before, PageInfo after) { return frameChanged(before, after); }

    @Override String effectMeaning() { return "the page was on another frame after the call (pagemap)"; }
}
