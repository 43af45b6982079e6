package org.gpcrace.sys;

/** How guest memory is backed: the kinds of memory a VMM gives its guests (anonymous, memfd/shmem, THP, hugetlb). */
public enum Backing implements org.gpcrace.util.HasId {
    /** private anonymous memory: DONTNEED gives a fresh zero page on the next touch */
    ANON("anon"),
    /** a shared memfd (shmem): DONTNEED keeps the page in the page cache; REMOVE/PUNCH_HOLE frees it */
    SHMEM("shmem"),
    /** private anonymous, 2 MiB aligned, MADV_HUGEPAGE: transparent huge pages */
    THP("thp"),
    /** a hugetlb memfd (needs pages reserved in /proc/sys/vm/nr_hugepages) */
    HUGETLB("hugetlb");

    private final String id;

    Backing(String id) { this.id = id; }

    @Override public String id() { return id; }

    /** True when the pages live in a file (memfd) that can be punched or mapped a second time. */
    public boolean fileBacked() { return this == SHMEM || this == HUGETLB; }

    public static Backing byId(String id) { return org.gpcrace.util.Ids.byId(Backing.class, id, "backing"); }
}
