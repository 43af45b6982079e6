package org.gpcrace.scenario.fairness;

/** How the memslot updater waits for the invalidations (the thread "KVM: Don't take mmu_lock for range invalidation unless necessary" (kvm list, April 2021)). Numbered as in gpcrace.h. */
public enum FairnessVariant {
    /** KVM today: the updater sleeps until mn_active_invalidate_count is zero (rcuwait), deliberately unfair */
    UNFAIR_COUNT("unfair-count", 0),
    /** the rwsem KVM had before: the updater takes a writer-preferring sleeping rwlock for write,
     *  invalidations take it for read, so the updater waits only for the invalidations already inside */
    FAIR_RWSEM("fair-rwsem", 1);

    private final String id;
    private final int nativeId;

    FairnessVariant(String id, int nativeId) {
        this.id = id;
        this.nativeId = nativeId;
    }

    public String id() { return id; }
    int nativeId() { return nativeId; }
}
