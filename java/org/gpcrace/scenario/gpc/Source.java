package org.gpcrace.scenario.gpc;

import java.util.Arrays;
import java.util.List;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.Linux;

/**
 * The invalidation sources: each a real kernel operation on the guest range that runs the MMU
 * notifier. Codes are GPCRACE_SRC_* of gpcrace.h. Whether a source keeps the page content (the
 * harness then resets the counters as the page's "new owner") is decided by the native helper.
 */
public enum Source {
    DONTNEED("dontneed", 0, Linux.MADV_DONTNEED, "madvise(MADV_DONTNEED): zap; anon refaults a zero page, shmem keeps its page"),
    REMOVE("remove", 1, Linux.MADV_REMOVE, "madvise(MADV_REMOVE): free the file's pages (shmem, hugetlb)"),
    PUNCH_HOLE("punch-hole", 2, -1, "fallocate(PUNCH_HOLE|KEEP_SIZE) on the memfd (shmem, hugetlb)"),
    FREE("free", 3, Linux.MADV_FREE, "madvise(MADV_FREE): lazy free of private anonymous pages"),
    PAGEOUT("pageout", 4, Linux.MADV_PAGEOUT, "madvise(MADV_PAGEOUT): reclaim now (no effect on anon without swap)"),
    MPROTECT("mprotect", 5, -1, "mprotect(PROT_NONE) and back to read-write"),
    REMAP("remap", 6, -1, "mmap(MAP_FIXED) of another page over the range"),
    COLLAPSE("collapse", 7, Linux.MADV_COLLAPSE, "madvise(MADV_COLLAPSE) of a split THP: copied into a new huge frame");

    private final String id;
    private final int code;
    private final int advice;
    private final String description;

    Source(String id, int code, int advice, String description) {
        this.id = id;
        this.code = code;
        this.advice = advice;
        this.description = description;
    }

    public String id() { return id; }

    /** GPCRACE_SRC_* */
    public int code() { return code; }

    /** The madvise advice, or -1 when the source is not a madvise. */
    public int advice() { return advice; }

    public String description() { return description; }

    /** The operations that send UFFD_EVENT_REMOVE (madvise_dontneed_free, madvise_remove). */
    public boolean sendsUffdRemove() { return this == DONTNEED || this == FREE || this == REMOVE; }

    /** Why this source cannot run on a backing (one line), or null when it can. */
    public String refusalOn(Backing b) {
        return switch (this) {
            case REMOVE, PUNCH_HOLE -> b.fileBacked() ? null
                    : "--source " + id + " needs file-backed memory (--backing shmem or hugetlb): it frees a file's pages, "
                            + b.id() + " has no file";
            case FREE -> b.fileBacked() ? "--source free needs private anonymous memory (--backing anon or thp): MADV_FREE ignores "
                    + b.id() + " pages" : null;
            case REMAP -> b == Backing.THP ? "--source remap supports --backing anon, shmem or hugetlb, not thp" : null;
            case COLLAPSE -> b != Backing.THP ? "--source collapse needs --backing thp (a 2 MiB-aligned range MADV_COLLAPSE"
                    + " can turn into a huge page), not " + b.id() : null;
            default -> null;
        };
    }

    public static Source byId(String id) {
        for (Source s : values()) if (s.id.equals(id)) return s;
        throw new IllegalArgumentException("unknown --source '" + id + "' (expected one of " + String.join(", ", ids()) + ")");
    }

    public static List<String> ids() { return Arrays.stream(values()).map(Source::id).toList(); }
}
