/*
 * uffd-read-then-invalidate: the same monitor, but it reads UFFD_EVENT_REMOVE first and
 * invalidates the cache afterwards. Reading the event releases the madvise, so the zap can run
 * while readers still use the old translation: a race real userspace VMMs can have.
 * Expected: unsafe.
 */
#include "gpc.h"

const struct gpc_ops gpc_ops_uffd_read_then_invalidate = {
    .id = "uffd-read-then-invalidate",
    .uffd_order = GPC_UFFD_READ_THEN_INVALIDATE,
    .read_begin = gpc_rwlock_read_begin,
    .check = gpc_rwlock_check,
    .read_end = gpc_rwlock_read_end,
    .invalidate_start = gpc_rwlock_invalidate_start,
    .write_lock = gpc_rwlock_write_lock,
    .write_unlock = gpc_rwlock_write_unlock,
    .drain = gpc_rwlock_drain,
};
