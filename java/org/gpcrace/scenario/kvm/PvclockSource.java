package org.gpcrace.scenario.kvm;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.sys.Linux;

/**
 * How the invalidator takes the pvclock page away from the process's page tables; each is one
 * MMU-notifier invalidation of the page's range, which KVM turns into gpc->valid = false.
 * Operations that leave the page inaccessible for a while (mprotect) are not offered: the
 * harness itself writes the page.
 */
public enum PvclockSource {
    /** no invalidator: every run must be a plain update */
    NONE("none"),
    /** MADV_DONTNEED: the frame is freed, the next touch maps a new zero page */
    DONTNEED("dontneed"),
    /** MADV_FREE: lazily freed; the harness's next write keeps it (the notifier still runs) */
    FREE("free"),
    /** mmap(MAP_FIXED) of new anonymous memory over the page: a new VMA and a new frame */
    REMAP("remap");

    private final String id;

    PvclockSource(String id) { this.id = id; }

    public String id() { return id; }

    public static PvclockSource byId(String id) {
        for (PvclockSource s : values()) if (s.id.equals(id)) return s;
        throw new IllegalArgumentException("unknown --source '" + id + "' (expected none, dontneed, free or remap)");
    }

    /** One invalidation of the page at {@code addr}. */
    void invalidate(NativeBridge b, long addr) {
        switch (this) {
            case DONTNEED -> b.madvise(addr, Linux.PAGE_SIZE, Linux.MADV_DONTNEED);
            case FREE -> b.madvise(addr, Linux.PAGE_SIZE, Linux.MADV_FREE);
            case REMAP -> b.mmap(addr, Linux.PAGE_SIZE, Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS | Linux.MAP_FIXED, -1, 0);
            case NONE -> throw new IllegalStateException("source none has no invalidation");
        }
    }
}
