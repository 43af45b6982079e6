package org.gpcrace.sys;

import org.gpcrace.bridge.Linux;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.gpcrace.bridge.NativeBridge;

/**
 * Guest memory: one mapping of {@code pages} pages with the chosen backing, and the slot table
 * gfn -> address (one slot, gfn 0 at the start). Java owns it: mapped through the bridge, read
 * and written through a MemorySegment view; close() unmaps and closes the memfd. A size that
 * cannot fit in the memory available is refused before anything is mapped.
 */
public final class GuestMemory implements AutoCloseable {
    private final NativeBridge bridge;
    private final Backing backing;
    private final long pages;
    private final long bytes;
    private final int fd;          // memfd for shmem/hugetlb, -1 otherwise
    private final long mapBase;    // what mmap returned (may include alignment slack)
    private final long mapLength;
    private final long base;       // gfn 0
    private final MemorySegment segment;
    private boolean closed;

    private GuestMemory(NativeBridge bridge, Backing backing, long pages, int fd, long mapBase, long mapLength, long base) {
        this.bridge = bridge;
        this.backing = backing;
        this.pages = pages;
        this.bytes = pages * Linux.PAGE_SIZE;
        this.fd = fd;
        this.mapBase = mapBase;
        this.mapLength = mapLength;
        this.base = base;
        this.segment = MemorySegment.ofAddress(base).reinterpret(bytes);
    }

    /** Maps {@code pages} 4 KiB pages (rounded up to 2 MiB for thp and hugetlb). */
    public static GuestMemory map(NativeBridge bridge, Backing backing, long pages) {
        if (pages <= 0) throw new IllegalArgumentException("guest memory: size must be at least 1 page, got " + pages);
        long perHuge = Linux.HUGE_PAGE_SIZE / Linux.PAGE_SIZE;
        if (backing == Backing.THP || backing == Backing.HUGETLB) pages = (pages + perHuge - 1) / perHuge * perHuge;
        long bytes = Math.multiplyExact(pages, Linux.PAGE_SIZE);
        refuseIfTooBig(backing, bytes);
        return switch (backing) {
            case ANON -> {
                long a = bridge.mmap(0, bytes, Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
                yield new GuestMemory(bridge, backing, pages, -1, a, bytes, a);
            }
            case THP -> {
                // over-map by 2 MiB and use the aligned part so every huge page can be a THP
                long len = bytes + Linux.HUGE_PAGE_SIZE;
                long a = bridge.mmap(0, len, Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS | Linux.MAP_NORESERVE, -1, 0);
                long aligned = (a + Linux.HUGE_PAGE_SIZE - 1) & -Linux.HUGE_PAGE_SIZE;
                try {
                    bridge.madvise(aligned, bytes, Linux.MADV_HUGEPAGE);
                } catch (RuntimeException e) {
                    bridge.munmap(a, len);
                    throw e;
                }
                yield new GuestMemory(bridge, backing, pages, -1, a, len, aligned);
            }
            case SHMEM, HUGETLB -> {
                int flags = Linux.MFD_CLOEXEC | (backing == Backing.HUGETLB ? Linux.MFD_HUGETLB : 0);
                int memfd = bridge.memfdCreate("gpcrace-" + backing.id(), flags);
                try {
                    bridge.ftruncate(memfd, bytes);
                    long a = bridge.mmap(0, bytes, Linux.PROT_RW, Linux.MAP_SHARED, memfd, 0);
                    yield new GuestMemory(bridge, backing, pages, memfd, a, bytes, a);
                } catch (RuntimeException e) {
                    bridge.close(memfd);
                    throw e;
                }
            }
        };
    }

    private static void refuseIfTooBig(Backing backing, long bytes) {
        HostFacts h = HostFacts.probe();
        if (backing == Backing.HUGETLB) {
            long avail = h.hugePagesFree() * h.hugePageBytes();
            if (bytes > avail) {
                throw new IllegalArgumentException("guest memory: " + bytes + " bytes of hugetlb requested, "
                        + h.hugePagesFree() + " huge pages free (reserve more: echo N > /proc/sys/vm/nr_hugepages)");
            }
        } else if (h.memAvailableBytes() > 0 && bytes > h.memAvailableBytes()) {
            throw new IllegalArgumentException("guest memory: " + bytes + " bytes requested, only "
                    + h.memAvailableBytes() + " bytes available (MemAvailable)");
        }
    }

    public Backing backing() { return backing; }
    public long pages() { return pages; }
    public long bytes() { return bytes; }
    /** The memfd behind shmem/hugetlb memory, or -1. */
    public int fd() { return fd; }
    /** Address of gfn 0. */
    public long base() { return base; }
    public MemorySegment segment() { return segment; }
    public NativeBridge bridge() { return bridge; }

    /** The slot table: gfn -> userspace address. */
    public long addressOf(long gfn) {
        if (gfn < 0 || gfn >= pages) throw new IndexOutOfBoundsException("gfn " + gfn + " outside guest memory of " + pages + " pages");
        return base + gfn * Linux.PAGE_SIZE;
    }

    public long readLong(long gfn, long offset) { return segment.get(ValueLayout.JAVA_LONG, gfn * Linux.PAGE_SIZE + offset); }

    public void writeLong(long gfn, long offset, long value) { segment.set(ValueLayout.JAVA_LONG, gfn * Linux.PAGE_SIZE + offset, value); }

    /** madvise on [gfn, gfn+count). */
    public void madvise(long gfn, long count, int advice) { bridge.madvise(addressOf(gfn), count * Linux.PAGE_SIZE, advice); }

    /** fallocate(PUNCH_HOLE|KEEP_SIZE) on [gfn, gfn+count) of the memfd (shmem/hugetlb only). */
    public void punchHole(long gfn, long count) {
        if (fd < 0) throw new IllegalArgumentException("punch hole needs file-backed memory (shmem or hugetlb), not " + backing.id());
        bridge.fallocate(fd, Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_KEEP_SIZE, gfn * Linux.PAGE_SIZE, count * Linux.PAGE_SIZE);
    }

    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        bridge.munmap(mapBase, mapLength);
        if (fd >= 0) bridge.close(fd);
    }
}
