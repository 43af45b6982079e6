/*
 * seqcount: a seqcount read of (valid, khva, generation) and nothing else. The retry check
 * only proves the values were consistent when read; the access after it can land after the
 * invalidation. Expected: unsafe.
 */
#include "gpc.h"

static int invalidate_start(struct gpc *g, int policy, uint32_t *would_sleep)
{
    (void)policy; (void)would_sleep;
    gpc_seq_invalidate(g);
    return 0;
}

const struct gpc_ops gpc_ops_seqcount = {
    .id = "seqcount",
    .read_begin = gpc_nop_read_begin,
    .check = gpc_seq_check,
    .read_end = gpc_nop_read_end,
    .invalidate_start = invalidate_start,
    .publish = gpc_seq_publish,
};
