/*
 * pinned: the cache keeps its own reference to the frame, as KVM did before 85165781c5d9
 * ("Do not pin pages tracked by gfn=>pfn caches"). Here the pin is a second MAP_SHARED mapping
 * of the memfd page (the alias); khva points into it. The notifier start does nothing: the pin
 * keeps the old frame alive, so after a remap readers keep writing into a frame the guest
 * address no longer maps. Expected: stale in every round after a remap.
 */
#include "gpc.h"
#include "compat.h"
#include <errno.h>
#include <sys/mman.h>

static int invalidate_start(struct gpc *g, int policy, uint32_t *would_sleep)
{
    (void)g; (void)policy; (void)would_sleep;
    return 0;
}

/* The "pin": map the page currently behind the guest address a second time. */
static int map_alias(struct gpc *g, struct gpc_translation *t)
{
    uint64_t off = *g->memfd_offset;
    void *a = mmap(NULL, g->alias_len, PROT_READ | PROT_WRITE, MAP_SHARED, g->memfd, (off_t)off);
    if (a == MAP_FAILED) return -errno;
    if (madvise(a, GPC_PAGE, MADV_POPULATE_WRITE) != 0) {
        int e = errno;
        munmap(a, g->alias_len);
        return -e;
    }
    if (g->alias) munmap(g->alias, g->alias_len);
    g->alias = a;
    t->khva = a;
    t->pfn = gpc_pagemap_pfn(g->pagemap_fd, a);
    return 0;
}

const struct gpc_ops gpc_ops_pinned = {
    .id = "pinned",
    .needs_memfd = 1,
    .read_begin = gpc_nop_read_begin,
    .check = gpc_plain_check,
    .read_end = gpc_nop_read_end,
    .invalidate_start = invalidate_start,
    .publish = gpc_plain_publish,
    .map = map_alias,
};
