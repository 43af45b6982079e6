package org.gpcrace.measure;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.gpcrace.result.Skip;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.HostFacts;
import org.gpcrace.sys.Linux;

/**
 * The invalidation sources of the madvise probe (GPCRACE_PSRC_* in gpcrace.h), each with the
 * backing it runs on by default, the backings the kernel accepts, and what it needs.
 */
public enum InvalidationSource {
    DONTNEED("dontneed", "madvise(MADV_DONTNEED): zap the PTEs, flush the TLBs", Backing.ANON,
            EnumSet.of(Backing.ANON, Backing.SHMEM, Backing.THP, Backing.HUGETLB)),
    FREE("free", "madvise(MADV_FREE): lazy free of private anonymous pages (PTEs cleaned, kept until reclaim)",
            Backing.ANON, EnumSet.of(Backing.ANON, Backing.THP)),
    REMOVE("remove", "madvise(MADV_REMOVE): zap and free the backing store (file memory only)", Backing.SHMEM,
            EnumSet.of(Backing.SHMEM, Backing.HUGETLB)),
    PAGEOUT("pageout", "madvise(MADV_PAGEOUT): reclaim now (needs swap for anonymous and shmem pages)", Backing.ANON,
            EnumSet.of(Backing.ANON, Backing.SHMEM, Backing.THP)),
    COLD("cold", "madvise(MADV_COLD): deactivate (clears accessed bits, pages stay mapped)", Backing.ANON,
            EnumSet.of(Backing.ANON, Backing.SHMEM, Backing.THP)),
    MPROTECT("mprotect", "mprotect(PROT_READ): write-protect the PTEs (made writable again untimed in 'op')", Backing.ANON,
            EnumSet.of(Backing.ANON, Backing.SHMEM, Backing.THP, Backing.HUGETLB)),
    REMAP("remap", "mmap(MAP_FIXED) over the range: the old pages are unmapped, new ones faulted", Backing.ANON,
            EnumSet.of(Backing.ANON, Backing.SHMEM, Backing.HUGETLB)),
    COLLAPSE("collapse", "madvise(MADV_COLLAPSE): copy 4 KiB pages into a 2 MiB page, zap the old PTEs (re-split untimed)",
            Backing.ANON, EnumSet.of(Backing.ANON));

    private final String id;
    private final String description;
    private final Backing natural;
    private final Set<Backing> backings;

    InvalidationSource(String id, String description, Backing natural, Set<Backing> backings) {
        this.id = id;
        this.description = description;
        this.natural = natural;
        this.backings = backings;
    }

    public String id() { return id; }
    public String description() { return description; }
    public Backing naturalBacking() { return natural; }
    /** Same order as enum gpcrace_probe_source. */
    public int nativeId() { return ordinal(); }

    public static InvalidationSource byId(String id) {
        for (InvalidationSource s : values()) if (s.id.equals(id)) return s;
        throw new IllegalArgumentException("unknown invalidation source '" + id
                + "' (expected dontneed, free, remove, pageout, cold, mprotect, remap or collapse)");
    }

    /** Why this source cannot run on this backing here (the whole test is then skipped). */
    public Optional<Skip> refusal(Backing b, HostFacts host) {
        if (!backings.contains(b)) {
            return Optional.of(new Skip(id + " does not apply to " + b.id() + " memory (the kernel refuses it or it means"
                    + " something else there)", "use --backing " + String.join(",", backings.stream().map(Backing::id).toList())));
        }
        if (this == COLLAPSE && !host.thpUsable()) {
            return Optional.of(new Skip("MADV_COLLAPSE needs transparent huge pages (THP mode " + host.thpMode() + ")",
                    "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled"));
        }
        if (b == Backing.THP && !host.thpUsable()) {
            return Optional.of(new Skip("thp backing needs transparent huge pages (THP mode " + host.thpMode() + ")",
                    "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled"));
        }
        if (b == Backing.HUGETLB && host.hugePagesFree() == 0) {
            return Optional.of(new Skip("no free hugetlb pages", "echo 16 > /proc/sys/vm/nr_hugepages"));
        }
        return Optional.empty();
    }

    /** Why one range size does not make sense for this source and backing (that point is left out). */
    public Optional<String> sizeRefusal(Backing b, long bytes) {
        boolean huge = this == COLLAPSE || b == Backing.THP || b == Backing.HUGETLB;
        if (huge && bytes % Linux.HUGE_PAGE_SIZE != 0) {
            return Optional.of(Sizes.label(bytes) + ": " + (this == COLLAPSE ? "collapse works on whole 2 MiB ranges"
                    : b.id() + " ranges are whole 2 MiB pages (a smaller range splits or is refused)"));
        }
        return Optional.empty();
    }

    /** What "no effect" means for this source, when the pages are all still resident after it. */
    public Optional<String> noEffectNote(HostFacts host, long resident, long pages) {
        if (this == PAGEOUT && resident == pages) {
            return Optional.of("no effect: all " + pages + " pages still resident after MADV_PAGEOUT"
                    + (host.hasSwap() ? "" : " (no swap: anonymous and shmem pages cannot be paged out)"));
        }
        return Optional.empty();
    }
}
