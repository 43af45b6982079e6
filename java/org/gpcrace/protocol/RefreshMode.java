package org.gpcrace.protocol;

/**
 * How a refresh deals with invalidations that run while it faults the page in
 * (virt/kvm/pfncache.c, hva_to_pfn_retry):
 * <ul>
 *   <li>retry: mainline. Snapshot mmu_invalidate_seq, fault in, and go round again while any
 *       invalidation of any range runs (mn_active_invalidate_count) or one ran (the seq moved):
 *       "effectively just a complex busy wait loop" under concurrent invalidations.</li>
 *   <li>wait: "[PATCH v2] KVM: Move gfn_to_pfn_cache invalidation to invalidate_range_end hook"
 *       (David Woodhouse, 20 Aug 2024). Mark the translation as needing invalidation, fault in,
 *       sleep while an invalidation covering the page is pending, and go round again only if one
 *       cancelled it (the end hook clears needs_invalidation). Here the cache is still also
 *       invalidated in the start hook, as mainline does; only the refresh's rule changes.</li>
 * </ul>
 */
public enum RefreshMode implements org.gpcrace.util.HasId {
    RETRY("retry", 0), WAIT("wait", 1);

    private final String id;
    private final int code;

    RefreshMode(String id, int code) { this.id = id; this.code = code; }

    @Override public String id() { return id; }

    /** GPCRACE_REFRESH_* */
    public int code() { return code; }

    public static RefreshMode byId(String id) { return org.gpcrace.util.Ids.byId(RefreshMode.class, id, "--refresh"); }
}
