/*
 * seqcount-srcu-unmap-only: the proposal of the thread "Re: [PATCH v2 01/20] locking/rt: Use
 * raw_spin_lock_irqsave() in __rwbase_read_unlock()" (Paolo Bonzini, 30 May 2026: "By using a
 * seqcount for the data, SRCU only needs to be synchronized in gpc_unmap()"). Readers as in
 * seqcount-srcu; the notifier start only clears valid in a seqcount write section, and
 * synchronize_srcu runs only in gpc_unmap. So no reader ever uses a khva gpc_unmap tore down
 * (unlike plain seqcount), but a reader that passed its seqcount check before the write keeps
 * using the old frame after the notifier returned, while the mm frees it ("the write_lock_irq()
 * there drains the readers and that is needed because khva is not pinned, only kmap()-ed",
 * Bonzini's reply). Expected: unsafe (stale accesses), never unmap-use.
 */
#include "gpc.h"

static int invalidate_start(struct gpc *g, struct gpc_wait *w) { return gpc_seq_invalidate(g, w); /* no synchronize_srcu here */ }

const struct gpc_ops gpc_ops_seqcount_srcu_unmap_only = {
    .id = "seqcount-srcu-unmap-only",
    .read_begin = gpc_srcu_read_begin,
    .check = gpc_seq_check,
    .read_end = gpc_srcu_read_end,
    .invalidate_start = invalidate_start,
    .write_lock = gpc_seq_write_lock,
    .write_unlock = gpc_seq_write_unlock,
    .unmap_sync = gpc_srcu_unmap_sync,
};
