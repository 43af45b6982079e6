/*
 * rwlock: KVM's GPC today. Readers: read_lock, check, access, read_unlock. The notifier start
 * takes the write lock, which drains the readers inside, clears valid and unlocks: once it
 * returns, no reader can still be using the old translation. Expected: safe.
 * With the sleeping lock kind (PREEMPT_RT's rwlock_t) the write lock sleeps while readers are
 * inside: in a non-blockable invalidation that is a would-sleep.
 */
#include "gpc.h"
#include <errno.h>

int gpc_rwlock_read_begin(struct gpc *g, int reader, struct gpc_view *v)
{
    (void)reader; (void)v;
    return sync_rwlock_read_lock(&g->lock);
}

/* kvm_gpc_check, called with gpc->lock held for read */
int gpc_rwlock_check(struct gpc *g, struct gpc_view *v) { return gpc_plain_check(g, v); }

void gpc_rwlock_read_end(struct gpc *g, int reader, struct gpc_view *v)
{
    (void)reader; (void)v;
    sync_rwlock_read_unlock(&g->lock);
}

/* gfn_to_pfn_cache_invalidate_start (virt/kvm/pfncache.c): write_lock_irq(&gpc->lock),
 * gpc->valid = false, write_unlock_irq. */
int gpc_rwlock_invalidate_start(struct gpc *g, int policy, uint32_t *would_sleep)
{
    int sleeping = g->lock_kind == GPCRACE_RWLOCK_SLEEPING;
    /* a spinning lock may always spin, even where sleeping is forbidden */
    int r = sync_rwlock_write_lock(&g->lock, sleeping ? policy : GPCRACE_WAIT_SPIN);
    /* waiting where sleeping is forbidden is the bug; returning -EAGAIN before waiting is the way out */
    if (sleeping && r == 1) (*would_sleep)++;
    if (r < 0) return r;
    G_STORE_RLX(&g->valid, 0u);
    sync_rwlock_write_unlock(&g->lock);
    return 0;
}

/* The tail of hva_to_pfn_retry: write_lock_irq(&gpc->lock), then mmu_notifier_retry_cache
 * decides between publishing and another round of the retry loop. */
int gpc_rwlock_publish(struct gpc *g, const struct gpc_translation *t, uint64_t mmu_seq)
{
    if (sync_rwlock_write_lock(&g->lock, GPCRACE_WAIT_SLEEP) < 0) return -ECANCELED;
    int retry = gpc_retry_needed(g, mmu_seq);
    if (!retry) gpc_set_translation(g, t);
    sync_rwlock_write_unlock(&g->lock);
    return retry;
}

const struct gpc_ops gpc_ops_rwlock = {
    .id = "rwlock",
    .read_begin = gpc_rwlock_read_begin,
    .check = gpc_rwlock_check,
    .read_end = gpc_rwlock_read_end,
    .invalidate_start = gpc_rwlock_invalidate_start,
    .publish = gpc_rwlock_publish,
};
