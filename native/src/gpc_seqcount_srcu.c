/*
 * seqcount-srcu: the read side is an SRCU read section around a seqcount read of
 * (valid, khva, generation); the notifier start clears valid in a seqcount write section and
 * then calls synchronize_srcu, which waits for every reader that might have read valid == 1.
 * Expected: safe; but synchronize sleeps, so a non-blockable invalidation counts would-sleep
 * whenever a reader is inside.
 */
#include "gpc.h"
#include <errno.h>

static int read_begin(struct gpc *g, int reader, struct gpc_view *v)
{
    v->srcu_idx = sync_srcu_read_lock(&g->srcu, reader);
    return 0;
}

static void read_end(struct gpc *g, int reader, struct gpc_view *v) { sync_srcu_read_unlock(&g->srcu, reader, v->srcu_idx); }

static int invalidate_start(struct gpc *g, int policy, uint32_t *would_sleep)
{
    gpc_seq_invalidate(g);
    int r = sync_srcu_synchronize(&g->srcu, policy);
    if (r == 1) (*would_sleep)++; /* -EAGAIN returned before waiting: not a would-sleep */
    return r < 0 ? r : 0;
}

const struct gpc_ops gpc_ops_seqcount_srcu = {
    .id = "seqcount-srcu",
    .read_begin = read_begin,
    .check = gpc_seq_check,
    .read_end = read_end,
    .invalidate_start = invalidate_start,
    .publish = gpc_seq_publish,
};
