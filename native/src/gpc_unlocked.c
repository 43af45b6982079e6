/*
 * unlocked: `if (active && valid) access`; the notifier start just clears valid. The negative
 * control (locktorture's lock_busted): nothing orders the access after the check, and gpc_unmap
 * waits for nobody. Expected: unsafe.
 */
#include "gpc.h"

static int invalidate_start(struct gpc *g, struct gpc_wait *w)
{
    (void)w;
    G_STORE(&g->needs_invalidation, 0u);
    G_STORE(&g->valid, 0u);
    return 0;
}

const struct gpc_ops gpc_ops_unlocked = {
    .id = "unlocked",
    .read_begin = gpc_nop_read_begin,
    .check = gpc_plain_check,
    .read_end = gpc_nop_read_end,
    .invalidate_start = invalidate_start,
};
