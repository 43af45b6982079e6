package org.gpcrace.protocol;

import java.util.EnumSet;
import java.util.Set;
import org.gpcrace.sys.Backing;
import org.gpcrace.bridge.Linux;
import org.gpcrace.util.HasId;

/**
 * The invalidation sources: real kernel operations on a range of the process that run the MMU
 * notifier (mmu_notifier_invalidate_range_start/end), one table for every scenario. Each says
 * where it is offered ({@link Scope}): the userspace GPC race (code GPCRACE_SRC_* of gpcrace.h),
 * the latency probes (GPCRACE_PSRC_*), and the live kernel's pv_time cache.
 */
public enum Source implements HasId {
    DONTNEED("dontneed", 0, 0, Linux.MADV_DONTNEED, EnumSet.allOf(Scope.class),
            "madvise(MADV_DONTNEED): zap the PTEs and flush the TLBs; anon refaults a zero page, shmem keeps its page"),
    FREE("free", 3, 1, Linux.MADV_FREE, EnumSet.allOf(Scope.class),
            "madvise(MADV_FREE): lazy free of private anonymous pages (PTEs cleaned, kept until reclaim)"),
    REMOVE("remove", 1, 2, Linux.MADV_REMOVE, EnumSet.of(Scope.GPC, Scope.LATENCY),
            "madvise(MADV_REMOVE): zap and free the file's pages (shmem, hugetlb)"),
    PUNCH_HOLE("punch-hole", 2, -1, -1, EnumSet.of(Scope.GPC),
            "fallocate(PUNCH_HOLE|KEEP_SIZE) on the memfd (shmem, hugetlb)"),
    PAGEOUT("pageout", 4, 3, Linux.MADV_PAGEOUT, EnumSet.allOf(Scope.class),
            "madvise(MADV_PAGEOUT): reclaim now (anonymous and shmem pages need swap; kvm-pvclock makes a swap file when the host has none)"),
    COLD("cold", -1, 4, Linux.MADV_COLD, EnumSet.of(Scope.LATENCY),
            "madvise(MADV_COLD): deactivate (clears accessed bits, pages stay mapped)"),
    MPROTECT("mprotect", 5, 5, -1, EnumSet.allOf(Scope.class),
            "mprotect() away from read-write and back (race: PROT_NONE; latency: PROT_READ, made writable again untimed;"
                    + " kvm-pvclock: PROT_READ and back, one invalidation interval)"),
    REMAP("remap", 6, 6, -1, EnumSet.allOf(Scope.class),
            "mmap(MAP_FIXED) over the range: the old pages are unmapped, new ones faulted"),
    COLLAPSE("collapse", 7, 7, Linux.MADV_COLLAPSE, EnumSet.allOf(Scope.class),
            "madvise(MADV_COLLAPSE): copy 4 KiB pages into a new 2 MiB frame, zap the old PTEs"),
    // Offered only in kvm-pvclock so far. split, ksm, migrate and fork would fit the latency
    // probes too; they get Scope.LATENCY with their probe code (a scope without it would offer
    // a source the probes cannot run).
    SPLIT("split", -1, -1, -1, EnumSet.of(Scope.KVM),
            "split a 2 MiB THP mapping by MADV_DONTNEED of one of its 4 KiB pages (__split_huge_pmd: the whole 2 MiB is invalidated,"
                    + " the frames stay)"),
    KSM("ksm", -1, -1, Linux.MADV_MERGEABLE, EnumSet.of(Scope.KVM),
            "KSM merges the page with an identical one (MADV_MERGEABLE, ksmd run for the test): write-protect, then the PTE"
                    + " points at the shared KSM frame"),
    MIGRATE("migrate", -1, -1, -1, EnumSet.of(Scope.KVM),
            "page migration: move_pages(2) to another NUMA node where there is one, else compaction of every zone"
                    + " (/proc/sys/vm/compact_memory), which moves the pages it chooses"),
    FORK("fork", -1, -1, -1, EnumSet.of(Scope.KVM),
            "fork(2): the child shares the page copy-on-write (every private writable PTE is write-protected), then the"
                    + " parent's write breaks the COW onto a new frame"),
    MEMSLOT("memslot", -1, -1, -1, EnumSet.of(Scope.KVM),
            "KVM_SET_USER_MEMORY_REGION: delete the page's memslot and add it back over the other of two backings (no MMU"
                    + " notifier: the memslot generation changes)");

    /** Where a source is offered. */
    public enum Scope { GPC, LATENCY, KVM }

    private final String id;
    private final int gpcCode;
    private final int probeCode;
    private final int advice;
    private final Set<Scope> scopes;
    private final String description;

    Source(String id, int gpcCode, int probeCode, int advice, Set<Scope> scopes, String description) {
        this.id = id;
        this.gpcCode = gpcCode;
        this.probeCode = probeCode;
        this.advice = advice;
        this.scopes = scopes;
        this.description = description;
    }

    @Override public String id() { return id; }

    public String description() { return description; }

    /** GPCRACE_SRC_* (the race engine); -1 when the race does not offer it. */
    public int gpcCode() { return gpcCode; }

    /** GPCRACE_PSRC_* (the madvise probe); -1 when the probes do not offer it. */
    public int probeCode() { return probeCode; }

    /** The madvise advice, or -1 when the source is not a madvise. */
    public int advice() { return advice; }

    public boolean offeredIn(Scope s) { return scopes.contains(s); }

    /** The operations that send UFFD_EVENT_REMOVE (madvise_dontneed_free, madvise_remove). */
    public boolean sendsUffdRemove() { return this == DONTNEED || this == FREE || this == REMOVE; }

    /** The race engine: why this source cannot run on a backing (one line), or null when it can. */
    public String raceRefusalOn(Backing b) {
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

    /** The sources offered in a scope, in table order. */
    public static java.util.List<Source> in(Scope s) {
        return java.util.Arrays.stream(values()).filter(x -> x.offeredIn(s)).toList();
    }

    /** The source with this id, offered in {@code scope}; otherwise a one-line refusal naming those that are. */
    public static Source byId(String id, Scope scope) {
        for (Source s : values()) if (s.id.equals(id) && s.offeredIn(scope)) return s;
        throw new IllegalArgumentException("unknown --source '" + id + "' (expected one of "
                + String.join(", ", in(scope).stream().map(Source::id).toList()) + ")");
    }
}
