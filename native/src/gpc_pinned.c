/*
 * pinned: the cache keeps its own reference to the frame, as KVM did before 85165781c5d9
 * ("Do not pin pages tracked by gfn=>pfn caches"). Here the pin is the khva view of the memfd
 * page the first refresh made; nothing invalidates the cache, so after a remap readers keep
 * writing into a frame the guest address no longer maps. Expected: stale in every round after
 * a remap.
 */
#include "gpc.h"

const struct gpc_ops gpc_ops_pinned = {
    .id = "pinned",
    .needs_memfd = 1,
    .pinned = 1,
    .read_begin = gpc_nop_read_begin,
    .check = gpc_plain_check,
    .read_end = gpc_nop_read_end,
};
