/*
 * seqcount-srcu: the read side is an SRCU read section around a seqcount read of (active,
 * valid, khva); the notifier start clears valid in a seqcount write section and then calls
 * synchronize_srcu, which waits for every reader that might have read valid == 1; gpc_unmap
 * synchronizes too before it tears a khva down. Expected: safe; but synchronize sleeps, so a
 * non-blockable invalidation counts would-sleep whenever a reader is inside.
 */
#include "gpc.h"
#include <errno.h>

static int invalidate_start(struct gpc *g, struct gpc_wait *w)
{
    int r = gpc_seq_invalidate(g, w);
    if (r < 0) return r;
    int policy = !w->nonblock ? GPCRACE_WAIT_SLEEP
               : w->policy == GPCRACE_WAIT_NONE ? GPCRACE_WAIT_NONE
               : w->policy == GPCRACE_WAIT_SPIN ? GPCRACE_WAIT_SPIN : GPCRACE_WAIT_SLEEP;
    r = sync_srcu_synchronize(&g->srcu, policy);
    if (r == 1 && w->nonblock) w->would_sleep++; /* -EAGAIN is returned before waiting: not a would-sleep */
    return r < 0 ? r : 0;
}

const struct gpc_ops gpc_ops_seqcount_srcu = {
    .id = "seqcount-srcu",
    .read_begin = gpc_srcu_read_begin,
    .check = gpc_seq_check,
    .read_end = gpc_srcu_read_end,
    .invalidate_start = invalidate_start,
    .write_lock = gpc_seq_write_lock,
    .write_unlock = gpc_seq_write_unlock,
    .drain = gpc_srcu_unmap_sync,
    .unmap_sync = gpc_srcu_unmap_sync,
};
