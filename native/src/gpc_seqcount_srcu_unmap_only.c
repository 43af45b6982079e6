/*
 * seqcount-srcu-unmap-only: the first proposal of the thread "[PATCH v2 01/20] locking/rt: Use
 * raw_spin_lock_irqsave() in __rwbase_read_unlock()" (Paolo Bonzini, 30 May 2026: "By using a
 * seqcount for the data, SRCU only needs to be synchronized in gpc_unmap()"). Readers as in
 * seqcount-srcu, but the notifier start only clears valid in a seqcount write section;
 * synchronize_srcu runs only in gpc_unmap. A reader that passed its seqcount check before the
 * write keeps using the old khva after the notifier returned. Expected: unsafe (stale accesses).
 */
#include "gpc.h"

static int read_begin(struct gpc *g, int reader, struct gpc_view *v)
{
    v->srcu_idx = sync_srcu_read_lock(&g->srcu, reader);
    return 0;
}

static void read_end(struct gpc *g, int reader, struct gpc_view *v) { sync_srcu_read_unlock(&g->srcu, reader, v->srcu_idx); }

static int invalidate_start(struct gpc *g, int policy, uint32_t *would_sleep)
{
    (void)policy; (void)would_sleep;
    gpc_seq_invalidate(g); /* no synchronize_srcu here: that is the bug */
    return 0;
}

const struct gpc_ops gpc_ops_seqcount_srcu_unmap_only = {
    .id = "seqcount-srcu-unmap-only",
    .read_begin = read_begin,
    .check = gpc_seq_check,
    .read_end = read_end,
    .invalidate_start = invalidate_start,
    .publish = gpc_seq_publish,
};
