/*
 * rwlock: KVM's GPC today. Readers: read_lock, check, access, read_unlock. The notifier start
 * (gfn_to_pfn_cache_invalidate_start) takes the read lock to see whether the cache is valid and
 * in range, and only then the write lock, which drains the readers inside, clears valid and
 * unlocks: once it returns, no reader can still be using the old translation. Expected: safe.
 * With the sleeping lock kind (PREEMPT_RT's rwlock_t) the write lock sleeps while readers are
 * inside: in a non-blockable invalidation that is a would-sleep.
 */
#include "gpc.h"
#include <errno.h>

/* the writer bits of sync_rwlock's state word (sync.h: "readers inside (low 30 bits) | writer
 * announced | writer holds"): a read_lock would wait while either is set */
#define RW_WRITER_BITS 0xC0000000u

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

/* read_lock_irq of the notifier path: with a writer in (a refresh publishing) it waits, which
 * for the sleeping kind is a would-sleep in a non-blockable start, and EAGAIN returns first. */
static int read_lock_nb(struct gpc *g, struct gpc_wait *w)
{
    if (G_LOAD(&g->lock.state) & RW_WRITER_BITS) {
        if (w->nonblock && g->lock.kind == GPCRACE_RWLOCK_SLEEPING) {
            if (w->policy == GPCRACE_WAIT_NONE && !w->end_path) return -EAGAIN;
            w->would_sleep++;
        }
    }
    return sync_rwlock_read_lock(&g->lock);
}

/* gfn_to_pfn_cache_invalidate_start (virt/kvm/pfncache.c, since 21dadfcd665e): read_lock_irq;
 * if valid (refresh wait: or a translation in flight), read_unlock, write_lock_irq, check again,
 * valid = false, write_unlock_irq. */
int gpc_rwlock_invalidate_start(struct gpc *g, struct gpc_wait *w)
{
    int r = read_lock_nb(g, w);
    if (r < 0) return r;
    int hit = G_LOAD(&g->valid) || G_LOAD(&g->needs_invalidation);
    sync_rwlock_read_unlock(&g->lock);
    if (!hit) return 0;
    r = gpc_lock_nb(&g->lock, w); /* waiting where sleeping is forbidden is the bug; EAGAIN returns before waiting */
    if (r < 0) return r;
    if (G_LOAD(&g->valid) || G_LOAD(&g->needs_invalidation)) {
        G_STORE(&g->needs_invalidation, 0u);
        G_STORE_RLX(&g->valid, 0u);
    }
    sync_rwlock_write_unlock(&g->lock);
    return 0;
}

/* write_lock_irq(&gpc->lock) of the refresh, activate and deactivate: a writer-preferring lock,
 * so while it waits for readers to drain no new reader gets in. */
int gpc_rwlock_write_lock(struct gpc *g) { return sync_rwlock_write_lock(&g->lock, GPCRACE_WAIT_SLEEP) < 0 ? -ECANCELED : 0; }

void gpc_rwlock_write_unlock(struct gpc *g) { sync_rwlock_write_unlock(&g->lock); }

/* The deferred drain: once the write lock was held, no reader holds what it checked before. */
int gpc_rwlock_drain(struct gpc *g)
{
    if (sync_rwlock_write_lock(&g->lock, GPCRACE_WAIT_SLEEP) < 0) return -ECANCELED;
    sync_rwlock_write_unlock(&g->lock);
    return 0;
}

const struct gpc_ops gpc_ops_rwlock = {
    .id = "rwlock",
    .read_begin = gpc_rwlock_read_begin,
    .check = gpc_rwlock_check,
    .read_end = gpc_rwlock_read_end,
    .invalidate_start = gpc_rwlock_invalidate_start,
    .write_lock = gpc_rwlock_write_lock,
    .write_unlock = gpc_rwlock_write_unlock,
    .drain = gpc_rwlock_drain,
};
