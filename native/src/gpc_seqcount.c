/*
 * seqcount: a seqcount read of (active, valid, khva) and nothing else. The retry check only
 * proves the values were consistent when read; the access after it can land after the
 * invalidation, and gpc_unmap tears the old khva down with nothing to wait for, so a reader can
 * even use a mapping that is gone. Expected: unsafe.
 *
 * The helpers the seqcount protocols share are here too: the write side (write_seqlock: the
 * writers' spinlock_t, sleeping under PREEMPT_RT, then the seqcount write section) and the SRCU
 * read side.
 */
#include "gpc.h"
#include <errno.h>

/* write_seqlock in the notifier path; valid = false; write_sequnlock. */
int gpc_seq_invalidate(struct gpc *g, struct gpc_wait *w)
{
    int r = gpc_lock_nb(&g->lock, w);
    if (r < 0) return r;
    sync_seq_write_begin(&g->seq);
    G_STORE_RLX(&g->valid, 0u);
    G_STORE_RLX(&g->needs_invalidation, 0u);
    sync_seq_write_end(&g->seq);
    sync_rwlock_write_unlock(&g->lock);
    return 0;
}

int gpc_seq_write_lock(struct gpc *g)
{
    if (sync_rwlock_write_lock(&g->lock, GPCRACE_WAIT_SLEEP) < 0) return -ECANCELED;
    sync_seq_write_begin(&g->seq);
    return 0;
}

void gpc_seq_write_unlock(struct gpc *g)
{
    sync_seq_write_end(&g->seq);
    sync_rwlock_write_unlock(&g->lock);
}

int gpc_srcu_read_begin(struct gpc *g, int reader, struct gpc_view *v)
{
    v->srcu_idx = sync_srcu_read_lock(&g->srcu, reader);
    return 0;
}

void gpc_srcu_read_end(struct gpc *g, int reader, struct gpc_view *v) { sync_srcu_read_unlock(&g->srcu, reader, v->srcu_idx); }

/* gpc_unmap's synchronize_srcu: every reader that might still use the khva has left. */
int gpc_srcu_unmap_sync(struct gpc *g) { return sync_srcu_synchronize(&g->srcu, GPCRACE_WAIT_SLEEP) < 0 ? -ECANCELED : 0; }

static int invalidate_start(struct gpc *g, struct gpc_wait *w) { return gpc_seq_invalidate(g, w); }

const struct gpc_ops gpc_ops_seqcount = {
    .id = "seqcount",
    .read_begin = gpc_nop_read_begin,
    .check = gpc_seq_check,
    .read_end = gpc_nop_read_end,
    .invalidate_start = invalidate_start,
    .write_lock = gpc_seq_write_lock,
    .write_unlock = gpc_seq_write_unlock,
};
