/*
 * gpc_defer.c - the worker of --nonblock-policy defer: the proposal of "Re: [PATCH] KVM:
 * mmu_notifier: make mn_invalidate_lock non-sleeping for non-blocking invalidations" (March
 * 2026) to handle the !blockable case "by deferring the heavyweight invalidation work ... to a
 * context that may block (e.g. queued work), while keeping start()/end() accounting consistent".
 * The non-blockable start only marks the cache invalid and queues the rest here; the zap goes on
 * at once. This thread then does the waiting part (the protocol's own cache step: draining the
 * readers or synchronize_srcu; waiting for kicked readers; kvm_unmap_gfn_range under mmu_lock)
 * as a blocking context. Between the zap and the end of this work readers may still use the
 * zapped frame: that window is what the run measures.
 */
#define _GNU_SOURCE
#include "gpc.h"
#include "clock.h"

#include <errno.h>
#include <limits.h>

void gpc_defer_init(struct gpc_defer *d, const uint32_t *abort)
{
    d->head = d->tail = 0;
    sync_mutex_init(&d->lock, abort);
    d->wake = 0;
    d->idle = 1;
    d->stop = 0;
    d->first_ns = d->done_ns = 0;
}

void gpc_defer_push(struct gpc *g, uint32_t item, uint32_t kick_mask)
{
    struct gpc_defer *d = &g->defer;
    sync_mutex_lock(&d->lock);
    if (d->tail - d->head < GPC_DEFER_QUEUE) {
        uint32_t i = d->tail % GPC_DEFER_QUEUE;
        d->items[i] = item;
        d->kick_mask[i] = kick_mask;
        d->tail++;
    }
    if (!d->first_ns) d->first_ns = mono_ns();
    G_STORE(&d->idle, 0u);
    sync_mutex_unlock(&d->lock);
    G_ADD(&d->wake, 1u);
    sync_futex_wake(&d->wake, 1);
}

static int do_item(struct gpc *g, uint32_t item, uint32_t mask)
{
    struct gpc_wait w = {.nonblock = 0, .policy = GPCRACE_WAIT_SLEEP};
    switch (item) {
    case GPC_DEFER_INVALIDATE: return g->ops->drain ? g->ops->drain(g) : 0;
    case GPC_DEFER_ACKS: return gpc_guest_wait_acks(g, mask, GPCRACE_WAIT_SLEEP, &w.would_sleep);
    case GPC_DEFER_UNMAP_GFN:
        if (sync_rwlock_write_lock(&g->vm.mmu_lock, GPCRACE_WAIT_SLEEP) < 0) return -ECANCELED;
        sync_rwlock_write_unlock(&g->vm.mmu_lock);
        return 0;
    default: return 0;
    }
}

int gpc_defer_run(struct gpc *g)
{
    struct gpc_defer *d = &g->defer;
    for (;;) {
        uint32_t seen = G_LOAD(&d->wake);
        if (G_LOAD(&d->stop) || (g->abort && G_LOAD(g->abort))) return 0;
        if (sync_mutex_lock(&d->lock) < 0) return -ECANCELED;
        if (d->head == d->tail) {
            if (d->first_ns) d->done_ns = d->done_ns ? d->done_ns : mono_ns();
            G_STORE(&d->idle, 1u);
            sync_mutex_unlock(&d->lock);
            sync_futex_wake(&d->idle, INT_MAX);
            sync_futex_wait(&d->wake, seen, SYNC_RECHECK_NS);
            continue;
        }
        uint32_t i = d->head % GPC_DEFER_QUEUE;
        uint32_t item = d->items[i], mask = d->kick_mask[i];
        d->head++;
        d->done_ns = 0;
        sync_mutex_unlock(&d->lock);
        if (do_item(g, item, mask) == -ECANCELED) return -ECANCELED;
    }
}

void gpc_defer_stop(struct gpc *g)
{
    G_STORE(&g->defer.stop, 1u);
    G_ADD(&g->defer.wake, 1u);
    sync_futex_wake(&g->defer.wake, INT_MAX);
}

int gpc_defer_drain(struct gpc *g)
{
    struct gpc_defer *d = &g->defer;
    while (!G_LOAD(&d->idle) || G_LOAD(&d->head) != G_LOAD(&d->tail)) {
        if (g->abort && G_LOAD(g->abort)) return -ECANCELED;
        sync_futex_wait(&d->idle, 0u, SYNC_RECHECK_NS);
    }
    return 0;
}

void gpc_defer_round_reset(struct gpc *g)
{
    g->defer.first_ns = 0;
    g->defer.done_ns = 0;
}
