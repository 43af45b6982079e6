/*
 * uffd-invalidate-then-read: a userspace cache kept coherent by a userfaultfd monitor. The
 * madvise comes from a thread that knows nothing of the cache; UFFD_EVENT_REMOVE holds it until
 * the monitor reads the event. This monitor invalidates the cache (rwlock write side: drains
 * the readers) before it reads the event, so the zap cannot start while a reader uses the old
 * translation. Expected: safe.
 */
#include "gpc.h"

const struct gpc_ops gpc_ops_uffd_invalidate_then_read = {
    .id = "uffd-invalidate-then-read",
    .uffd_order = GPC_UFFD_INVALIDATE_THEN_READ,
    .read_begin = gpc_rwlock_read_begin,
    .check = gpc_rwlock_check,
    .read_end = gpc_rwlock_read_end,
    .invalidate_start = gpc_rwlock_invalidate_start,
    .write_lock = gpc_rwlock_write_lock,
    .write_unlock = gpc_rwlock_write_unlock,
    .drain = gpc_rwlock_drain,
};
