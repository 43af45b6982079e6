package org.gpcrace.measure;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.GuestMemory;
import org.gpcrace.bridge.Linux;

/**
 * The range a probe works on: guest memory of the chosen backing, or (for MADV_COLLAPSE) plain
 * anonymous memory aligned to 2 MiB without MADV_HUGEPAGE, so faults give 4 KiB pages that the
 * operation then collapses.
 */
final class ProbeMemory implements AutoCloseable {
    private final NativeBridge bridge;
    private final GuestMemory guest;   // null for the collapse mapping
    private final long mapBase, mapLength, base, bytes;

    private ProbeMemory(NativeBridge bridge, GuestMemory guest, long mapBase, long mapLength, long base, long bytes) {
        this.bridge = bridge;
        this.guest = guest;
        this.mapBase = mapBase;
        this.mapLength = mapLength;
        this.base = base;
        this.bytes = bytes;
    }

    static ProbeMemory map(NativeBridge b, Backing backing, long bytes) {
        GuestMemory g = GuestMemory.map(b, backing, bytes / Linux.PAGE_SIZE);
        return new ProbeMemory(b, g, 0, 0, g.base(), bytes);
    }

    /** Anonymous, 2 MiB aligned, no MADV_HUGEPAGE: small pages until collapsed. */
    static ProbeMemory mapForCollapse(NativeBridge b, long bytes) {
        long len = bytes + Linux.HUGE_PAGE_SIZE;
        long a = b.mmap(0, len, Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS | Linux.MAP_NORESERVE, -1, 0);
        long aligned = (a + Linux.HUGE_PAGE_SIZE - 1) & -Linux.HUGE_PAGE_SIZE;
        return new ProbeMemory(b, null, a, len, aligned, bytes);
    }

    long base() { return base; }
    long bytes() { return bytes; }
    /** The memfd behind shmem/hugetlb memory, or -1. */
    int fd() { return guest == null ? -1 : guest.fd(); }

    @Override public void close() {
        if (guest != null) guest.close();
        else bridge.munmap(mapBase, mapLength);
    }
}
