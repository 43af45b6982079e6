package org.gpcrace.protocol;

import java.util.Arrays;
import java.util.List;

/**
 * The GPC protocol variants: one table of what each does and whether it is expected to be safe
 * (the kernel's rwlock today, the seqcount + SRCU proposals, the negative controls). The native side numbers them in the same order (gpcrace.h).
 */
public enum Protocol implements org.gpcrace.util.HasId {
    RWLOCK("rwlock", true,
            "read_lock/check/access/read_unlock; invalidation write_lock drains readers (KVM today)"),
    SEQCOUNT_SRCU("seqcount-srcu", true,
            "SRCU read side + seqcount on (valid, khva); invalidation synchronize_srcu (blocks)"),
    SEQCOUNT_SRCU_UNMAP_ONLY("seqcount-srcu-unmap-only", false,
            "seqcount+SRCU but synchronize only in gpc_unmap: the notifier does not drain readers (the first proposal of the PREEMPT_RT thread, May 2026)"),
    SEQCOUNT("seqcount", false,
            "seqcount read only: a reader can pass the retry check and still access after invalidation"),
    UNLOCKED("unlocked", false,
            "if (valid) access; invalidation just clears valid: the negative control (lock_busted)"),
    PINNED("pinned", false,
            "access through a pinned alias of the old frame; invalidation remaps: stale every time"),
    UFFD_INVALIDATE_THEN_READ("uffd-invalidate-then-read", true,
            "userfaultfd monitor invalidates the cache, then reads UFFD_EVENT_REMOVE (madvise waits for the read)"),
    UFFD_READ_THEN_INVALIDATE("uffd-read-then-invalidate", false,
            "userfaultfd monitor reads UFFD_EVENT_REMOVE first: the zap can run before the cache is invalid");

    private final String id;
    private final boolean expectedSafe;
    private final String description;

    Protocol(String id, boolean expectedSafe, String description) {
        this.id = id;
        this.expectedSafe = expectedSafe;
        this.description = description;
    }

    @Override public String id() { return id; }
    public boolean expectedSafe() { return expectedSafe; }
    public String description() { return description; }

    /** Whether the lock kind means anything: the rwlock protocols and the userfaultfd ones (whose read side is the rwlock's). */
    public boolean lockMatters() { return this == RWLOCK || usesUffd(); }

    public boolean usesUffd() { return this == UFFD_INVALIDATE_THEN_READ || this == UFFD_READ_THEN_INVALIDATE; }

    public static Protocol byId(String id) { return org.gpcrace.util.Ids.byId(Protocol.class, id, "protocol"); }

    public static List<String> ids() { return org.gpcrace.util.Ids.ids(Protocol.class); }
}
