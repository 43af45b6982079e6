package org.gpcrace.measure;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.gpcrace.protocol.Source;
import org.gpcrace.result.Skip;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.HostFacts;
import org.gpcrace.bridge.Linux;

/** What the madvise probe needs to know of each invalidation source: its natural backing, the backings the kernel accepts. */
public final class ProbeSources {
    private ProbeSources() {}

    /** The backing a source is measured on when --backing is not given. */
    public static Backing naturalBacking(Source s) { return s == Source.REMOVE ? Backing.SHMEM : Backing.ANON; }

    /** The backings the kernel accepts for a source (or where it means what the probe measures). */
    static Set<Backing> backings(Source s) {
        return switch (s) {
            case DONTNEED, MPROTECT -> EnumSet.allOf(Backing.class);
            case FREE -> EnumSet.of(Backing.ANON, Backing.THP);
            case REMOVE -> EnumSet.of(Backing.SHMEM, Backing.HUGETLB);
            case PAGEOUT, COLD -> EnumSet.of(Backing.ANON, Backing.SHMEM, Backing.THP);
            case REMAP -> EnumSet.of(Backing.ANON, Backing.SHMEM, Backing.HUGETLB);
            case COLLAPSE -> EnumSet.of(Backing.ANON);
            // not offered in the latency probes (Source scopes): no backing to measure them on
            case PUNCH_HOLE, SPLIT, KSM, MIGRATE, FORK, MEMSLOT -> EnumSet.noneOf(Backing.class);
        };
    }

    /** Why this source cannot run on this backing here (the whole test is then skipped). */
    public static Optional<Skip> refusal(Source s, Backing b, HostFacts host) {
        Set<Backing> ok = backings(s);
        if (!ok.contains(b)) {
            return Optional.of(new Skip(s.id() + " does not apply to " + b.id() + " memory (the kernel refuses it or it means"
                    + " something else there)", "use --backing " + String.join(",", ok.stream().map(Backing::id).toList())));
        }
        if (s == Source.COLLAPSE && !host.thpUsable()) {
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
    public static Optional<String> sizeRefusal(Source s, Backing b, long bytes) {
        boolean huge = s == Source.COLLAPSE || b == Backing.THP || b == Backing.HUGETLB;
        if (huge && bytes % Linux.HUGE_PAGE_SIZE != 0) {
            return Optional.of(Sizes.label(bytes) + ": " + (s == Source.COLLAPSE ? "collapse works on whole 2 MiB ranges"
                    : b.id() + " ranges are whole 2 MiB pages (a smaller range splits or is refused)"));
        }
        return Optional.empty();
    }

    /** What "no effect" means for this source, when the pages are all still resident after it. */
    public static Optional<String> noEffectNote(Source s, HostFacts host, long resident, long pages) {
        if (s == Source.PAGEOUT && resident == pages) {
            return Optional.of("no effect: all " + pages + " pages still resident after MADV_PAGEOUT"
                    + (host.hasSwap() ? "" : " (no swap: anonymous and shmem pages cannot be paged out)"));
        }
        return Optional.empty();
    }
}
