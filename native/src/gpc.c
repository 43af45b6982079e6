/*
 * gpc.c - the userspace gfn-to-pfn cache shared by every protocol variant: the refresh
 * (virt/kvm/pfncache.c hva_to_pfn_retry), the MMU-notifier bookkeeping, and the read/publish
 * helpers the variants combine.
 */
#define _GNU_SOURCE
#include "gpc.h"
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* kvm_gpc_init (virt/kvm/pfncache.c), plus the per-VM notifier state the cache is checked against. */
int gpc_init(struct gpc *g, uint64_t uhva, uint32_t lock_kind, uint32_t nreaders, uint32_t retry_bound,
             const uint32_t *abort)
{
    memset(g, 0, sizeof(*g));
    sync_rwlock_init(&g->lock, lock_kind, abort);
    sync_seqcount_init(&g->seq);
    sync_mutex_init(&g->refresh_lock, abort);
    sync_countwait_init(&g->active, abort);
    sync_srcu_init(&g->srcu, nreaders, abort);
    g->lock_kind = lock_kind;
    g->uhva = uhva;
    g->refresh_retry_bound = retry_bound;
    g->refresh_spin_ns = GPC_REFRESH_SPIN_NS;
    g->abort = abort;
    g->memfd = -1;
    g->pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    return 0;
}

void gpc_fini(struct gpc *g)
{
    if (g->alias) munmap(g->alias, g->alias_len);
    g->alias = NULL;
    if (g->pagemap_fd >= 0) close(g->pagemap_fd);
    g->pagemap_fd = -1;
}

uint64_t gpc_pagemap_pfn(int pagemap_fd, const void *addr)
{
    uint64_t e = 0;
    if (pagemap_fd < 0) return 0;
    if (pread(pagemap_fd, &e, sizeof(e), (off_t)(((uintptr_t)addr / GPC_PAGE) * sizeof(e))) != (ssize_t)sizeof(e)) return 0;
    if (!(e & (1ull << 63))) return 0;           /* not present */
    return e & ((1ull << 55) - 1);               /* 0 when the kernel hides frames (no CAP_SYS_ADMIN) */
}

/* mmu_notifier_retry_cache(): an invalidation is running, or one ran since mmu_seq was read. */
int gpc_retry_needed(struct gpc *g, uint64_t mmu_seq)
{
    if (sync_countwait_count(&g->active) != 0) return 1;
    return G_LOAD(&g->invalidate_seq) != mmu_seq;
}

/* kvm_mmu_notifier_invalidate_range_start's bookkeeping (virt/kvm/kvm_main.c):
 * mn_active_invalidate_count++ before any cache is touched. */
void gpc_notifier_start(struct gpc *g) { sync_countwait_inc(&g->active); }

/* kvm_mmu_notifier_invalidate_range_end (virt/kvm/kvm_main.c; mmu_invalidate_seq++ is
 * kvm_mmu_invalidate_end's), then count-- (which wakes a waiting refresh). */
void gpc_notifier_end(struct gpc *g)
{
    G_ADD(&g->invalidate_seq, 1);
    sync_countwait_dec(&g->active);
}

/* hva_to_pfn for the guest page: fault it in for write without changing its content. */
int gpc_map_guest(struct gpc *g, struct gpc_translation *t)
{
    if (madvise((void *)(uintptr_t)g->uhva, GPC_PAGE, MADV_POPULATE_WRITE) != 0) return -errno;
    t->khva = (uint8_t *)(uintptr_t)g->uhva;
    t->pfn = gpc_pagemap_pfn(g->pagemap_fd, t->khva);
    return 0;
}

/* The end of hva_to_pfn_retry and __kvm_gpc_refresh (gpc->pfn, gpc->khva, gpc->valid = true),
 * called on the protocol's write side: a new generation becomes visible, valid last. */
void gpc_set_translation(struct gpc *g, const struct gpc_translation *t)
{
    G_STORE_RLX(&g->khva, t->khva);
    G_STORE_RLX(&g->pfn, t->pfn);
    G_STORE_RLX(&g->generation, G_LOAD_RLX(&g->generation) + 1);
    G_STORE_REL(&g->valid, 1u);
}

/*
 * hva_to_pfn_retry (virt/kvm/pfncache.c) under refresh_lock, as __kvm_gpc_refresh calls it: wait while invalidations are running, snapshot
 * mmu_invalidate_seq, fault the page in, then publish on the write side unless an
 * invalidation started or finished meanwhile. A refresh that retries more than the bound is
 * flagged as a livelock (and keeps going: it only ends when invalidations pause).
 */
int gpc_refresh(struct gpc *g, const struct gpc_ops *ops, struct gpc_refresh_stats *st)
{
    if (sync_mutex_lock(&g->refresh_lock) < 0) return -ECANCELED;
    int r = 0;
    if (G_LOAD_ACQ(&g->valid)) goto out; /* another reader refreshed while we waited */
    for (uint32_t tries = 0;; tries++) {
        if (tries > g->refresh_retry_bound) st->livelock = 1;
        r = sync_countwait_wait_zero_spin(&g->active, g->refresh_spin_ns, -1);
        if (r < 0) goto out;
        uint64_t mmu_seq = G_LOAD(&g->invalidate_seq);
        struct gpc_translation t = {0};
        r = ops->map ? ops->map(g, &t) : gpc_map_guest(g, &t);
        if (r < 0) {
            /* a fault-in that fails under a concurrent invalidation (PROT_NONE window) retries */
            if (!gpc_retry_needed(g, mmu_seq)) { st->error = -r; goto out; }
            st->retries++;
            continue;
        }
        r = ops->publish(g, &t, mmu_seq);
        if (r < 0) goto out;
        if (r == 0) { st->refreshes++; break; }
        st->retries++;
    }
out:
    sync_mutex_unlock(&g->refresh_lock);
    return r < 0 ? r : (st->error ? -st->error : 0);
}

/* kvm_gpc_check (virt/kvm/pfncache.c): valid, then the translation. */
int gpc_plain_check(struct gpc *g, struct gpc_view *v)
{
    if (!G_LOAD_ACQ(&g->valid)) return 0;
    v->khva = G_LOAD_RLX(&g->khva);
    v->gen = G_LOAD_RLX(&g->generation);
    return 1;
}

int gpc_seq_check(struct gpc *g, struct gpc_view *v)
{
    uint32_t s, valid;
    do {
        s = sync_seq_read_begin(&g->seq);
        valid = G_LOAD_RLX(&g->valid);
        v->khva = G_LOAD_RLX(&g->khva);
        v->gen = G_LOAD_RLX(&g->generation);
    } while (sync_seq_read_retry(&g->seq, s));
    return valid != 0;
}

/* write_seqlock: the writers' spinlock, then the seqcount write section. Never sleeps. */
void gpc_seq_invalidate(struct gpc *g)
{
    sync_rwlock_write_lock(&g->lock, GPCRACE_WAIT_SPIN);
    sync_seq_write_begin(&g->seq);
    G_STORE_RLX(&g->valid, 0u);
    sync_seq_write_end(&g->seq);
    sync_rwlock_write_unlock(&g->lock);
}

int gpc_seq_publish(struct gpc *g, const struct gpc_translation *t, uint64_t mmu_seq)
{
    if (sync_rwlock_write_lock(&g->lock, GPCRACE_WAIT_SPIN) < 0) return -ECANCELED;
    int retry = gpc_retry_needed(g, mmu_seq);
    if (!retry) {
        sync_seq_write_begin(&g->seq);
        gpc_set_translation(g, t);
        sync_seq_write_end(&g->seq);
    }
    sync_rwlock_write_unlock(&g->lock);
    return retry;
}

int gpc_plain_publish(struct gpc *g, const struct gpc_translation *t, uint64_t mmu_seq)
{
    if (gpc_retry_needed(g, mmu_seq)) return 1;
    gpc_set_translation(g, t);
    return 0;
}

int gpc_nop_read_begin(struct gpc *g, int reader, struct gpc_view *v)
{
    (void)g; (void)reader; (void)v;
    return 0;
}

void gpc_nop_read_end(struct gpc *g, int reader, struct gpc_view *v) { (void)g; (void)reader; (void)v; }
