/*
 * gpc_vm.c - the per-VM MMU-notifier state and the notifier path (virt/kvm/kvm_main.c), with
 * each lock as the kernel has it: mn_invalidate_lock and gpc_lock are spinlock_t, mmu_lock is
 * rwlock_t (x86); under PREEMPT_RT all three become sleeping locks (here: the sleeping kind of
 * the race engine's rwlock, taken exclusively for the spinlocks).
 *
 *   gpc_range_start   kvm_mmu_notifier_invalidate_range_start: mn_active_invalidate_count++
 *                     under mn_invalidate_lock, gfn_to_pfn_cache_invalidate_start (the
 *                     protocol's cache step under gpc_lock, then the guest-mode eviction), and,
 *                     for a range in a memslot, __kvm_handle_hva_range's kvm_unmap_gfn_range
 *                     under mmu_lock.
 *   gpc_range_end     kvm_mmu_notifier_invalidate_range_end: kvm_mmu_invalidate_end
 *                     (mmu_invalidate_seq++) under mmu_lock for a memslot range, [refresh wait:
 *                     the 2024 series' gfn_to_pfn_cache_invalidate from the end hook], then
 *                     count-- under mn_invalidate_lock and the wake-ups.
 *
 * In a non-blockable invalidation (mmu_notifier_invalidate_range_start_nonblock, the OOM
 * reaper) every lock is taken through gpc_lock_nb: a wait on a sleeping lock is a would-sleep,
 * whatever the policy then does (sleep, spin); EAGAIN returns before waiting. The end path
 * cannot fail, so there EAGAIN spins instead.
 */
#define _GNU_SOURCE
#include "gpc.h"

#include <errno.h>
#include <limits.h>

#define HVA_BAD UINT64_MAX /* KVM_HVA_ERR_BAD: no invalidation pending */

void gpc_vm_init(struct gpc_vm *vm, int preempt_rt, const uint32_t *abort)
{
    uint32_t kind = preempt_rt ? GPCRACE_RWLOCK_SLEEPING : GPCRACE_RWLOCK_SPIN;
    sync_rwlock_init(&vm->mn_invalidate_lock, kind, abort);
    sync_rwlock_init(&vm->gpc_lock, kind, abort);
    sync_rwlock_init(&vm->mmu_lock, kind, abort);
    sync_countwait_init(&vm->active, abort);
    vm->invalidate_seq = 0;
    vm->range_start = vm->range_end = HVA_BAD;
    vm->gpc_invalidate_wq = 0;
    vm->wq_sleepers = 0;
}

/* The primitive's policy for a step of the notifier path under w. */
static int primitive_policy(const struct sync_rwlock *l, const struct gpc_wait *w)
{
    if (!w->nonblock || l->kind == GPCRACE_RWLOCK_SPIN) return l->kind == GPCRACE_RWLOCK_SPIN ? GPCRACE_WAIT_SPIN : GPCRACE_WAIT_SLEEP;
    switch (w->policy) {
    case GPCRACE_WAIT_NONE: return w->end_path ? GPCRACE_WAIT_SPIN : GPCRACE_WAIT_NONE;
    case GPCRACE_WAIT_SPIN:
    case GPCRACE_WAIT_DEFER: return GPCRACE_WAIT_SPIN; /* what must still be taken inline is taken as a raw lock */
    default: return GPCRACE_WAIT_SLEEP;
    }
}

int gpc_lock_nb(struct sync_rwlock *l, struct gpc_wait *w)
{
    int r = sync_rwlock_write_lock(l, primitive_policy(l, w));
    /* a deferring start takes what it still takes inline as raw locks (the proposal made
     * mn_invalidate_lock raw); its end path is the reaper's as ever */
    int raw = w->policy == GPCRACE_WAIT_DEFER && !w->end_path;
    if (r == 1 && w->nonblock && !raw && l->kind == GPCRACE_RWLOCK_SLEEPING) w->would_sleep++;
    return r;
}

/* mmu_notifier_retry_cache (virt/kvm/pfncache.c): the count is read before the seq, which
 * range_end bumps before it drops the count. */
int gpc_retry_needed(struct gpc *g, uint64_t mmu_seq)
{
    if (sync_countwait_count(&g->vm.active) != 0) return 1;
    return G_LOAD(&g->vm.invalidate_seq) != mmu_seq;
}

static int covers(const struct gpc_vm *vm, uint64_t uhva)
{
    return sync_countwait_count(&vm->active) != 0 && G_LOAD(&vm->range_start) <= uhva && uhva < G_LOAD(&vm->range_end);
}

/* gpc_wait_for_invalidations (2024 series): a blocking context, sleeps on gpc_invalidate_wq. */
int gpc_wait_for_invalidations(struct gpc *g)
{
    struct gpc_vm *vm = &g->vm;
    if (sync_rwlock_write_lock(&vm->mn_invalidate_lock, GPCRACE_WAIT_SLEEP) < 0) return -ECANCELED;
    while (covers(vm, g->uhva)) {
        uint32_t seq = G_LOAD(&vm->gpc_invalidate_wq);
        G_ADD(&vm->wq_sleepers, 1u);
        sync_rwlock_write_unlock(&vm->mn_invalidate_lock);
        if (covers(vm, g->uhva)) sync_futex_wait(&vm->gpc_invalidate_wq, seq, SYNC_RECHECK_NS);
        __atomic_sub_fetch(&vm->wq_sleepers, 1u, __ATOMIC_SEQ_CST);
        if (g->abort && G_LOAD(g->abort)) return -ECANCELED;
        if (sync_rwlock_write_lock(&vm->mn_invalidate_lock, GPCRACE_WAIT_SLEEP) < 0) return -ECANCELED;
    }
    sync_rwlock_write_unlock(&vm->mn_invalidate_lock);
    return 0;
}

/* count-- under mn_invalidate_lock, and the wake-ups when it reaches zero. */
static void count_dec(struct gpc *g, struct gpc_wait *w)
{
    struct gpc_vm *vm = &g->vm;
    int saved = w->end_path;
    w->end_path = 1;
    int locked = gpc_lock_nb(&vm->mn_invalidate_lock, w) >= 0;
    w->end_path = saved;
    sync_countwait_dec(&vm->active);
    int wake = sync_countwait_count(&vm->active) == 0;
    if (wake) {
        G_STORE(&vm->range_start, HVA_BAD);
        G_STORE(&vm->range_end, HVA_BAD);
    }
    if (locked) sync_rwlock_write_unlock(&vm->mn_invalidate_lock);
    if (wake) {
        G_ADD(&vm->gpc_invalidate_wq, 1u);
        if (G_LOAD(&vm->wq_sleepers)) sync_futex_wake(&vm->gpc_invalidate_wq, INT_MAX);
    }
}

/*
 * gfn_to_pfn_cache_invalidate_start (virt/kvm/pfncache.c): under gpc_lock the protocol's cache
 * step (a cache that keeps its pin has none); deferred: only "mark it invalid", the cache step
 * itself queued to the worker. Then, for caches used in guest mode, the request that kicks the
 * readers out (kvm_make_vcpus_request_mask).
 */
static int cache_invalidate_start(struct gpc *g, struct gpc_wait *w)
{
    int r = gpc_lock_nb(&g->vm.gpc_lock, w);
    if (r < 0) return r;
    if (g->ops->pinned) {
        r = 0;
    } else if (w->nonblock && w->policy == GPCRACE_WAIT_DEFER) {
        G_STORE(&g->valid, 0u);
        G_STORE(&g->needs_invalidation, 0u);
        gpc_defer_push(g, GPC_DEFER_INVALIDATE, 0);
        w->deferred++;
        r = 0;
    } else {
        r = g->ops->invalidate_start(g, w);
    }
    sync_rwlock_write_unlock(&g->vm.gpc_lock);
    if (r == 0 && g->guest) r = gpc_guest_evict(g, w);
    return r;
}

int gpc_range_start(struct gpc *g, uint64_t start, uint64_t end, int hits, struct gpc_wait *w)
{
    struct gpc_vm *vm = &g->vm;
    w->end_path = 0;
    int r = gpc_lock_nb(&vm->mn_invalidate_lock, w);
    if (r < 0) return r; /* EAGAIN: nothing done yet */
    int first = sync_countwait_count(&vm->active) == 0;
    sync_countwait_inc(&vm->active);
    if (g->refresh_mode == GPCRACE_REFRESH_WAIT) {
        /* "just find the minimal range which includes the current and new ranges" */
        if (first || start < G_LOAD(&vm->range_start)) G_STORE(&vm->range_start, start);
        if (first || G_LOAD(&vm->range_end) == HVA_BAD || end > G_LOAD(&vm->range_end)) G_STORE(&vm->range_end, end);
    }
    sync_rwlock_write_unlock(&vm->mn_invalidate_lock);

    if (start <= g->uhva && g->uhva < end) {
        r = cache_invalidate_start(g, w);
        if (r < 0) {
            if (r == -EAGAIN) count_dec(g, w); /* a failed start has no end: undo our own count */
            return r;
        }
    }
    if (hits) {
        /* __kvm_handle_hva_range: KVM_MMU_LOCK, kvm_mmu_invalidate_begin, kvm_unmap_gfn_range */
        if (w->nonblock && w->policy == GPCRACE_WAIT_DEFER) {
            gpc_defer_push(g, GPC_DEFER_UNMAP_GFN, 0);
            w->deferred++;
        } else {
            r = gpc_lock_nb(&vm->mmu_lock, w);
            if (r < 0) {
                if (r == -EAGAIN) count_dec(g, w);
                return r;
            }
            sync_rwlock_write_unlock(&vm->mmu_lock);
        }
    }
    return 0;
}

/* The 2024 series' gfn_to_pfn_cache_invalidate, called from the end hook: a refresh that set
 * needs_invalidation while the range was being zapped must drop what it found. */
static void cache_invalidate_end(struct gpc *g, struct gpc_wait *w)
{
    int locked = gpc_lock_nb(&g->vm.gpc_lock, w) >= 0;
    if (G_LOAD(&g->needs_invalidation) && !g->ops->pinned) {
        if (g->ops->write_lock == gpc_rwlock_write_lock) {
            if (gpc_lock_nb(&g->lock, w) >= 0) {
                G_STORE(&g->needs_invalidation, 0u);
                G_STORE(&g->valid, 0u);
                sync_rwlock_write_unlock(&g->lock);
            }
        } else if (g->ops->write_lock == gpc_seq_write_lock) {
            if (gpc_lock_nb(&g->lock, w) >= 0) {
                sync_seq_write_begin(&g->seq);
                G_STORE(&g->needs_invalidation, 0u);
                G_STORE(&g->valid, 0u);
                sync_seq_write_end(&g->seq);
                sync_rwlock_write_unlock(&g->lock);
            }
        } else {
            G_STORE(&g->needs_invalidation, 0u);
            G_STORE(&g->valid, 0u);
        }
    }
    if (locked) sync_rwlock_write_unlock(&g->vm.gpc_lock);
}

void gpc_range_end(struct gpc *g, uint64_t start, uint64_t end, int hits, struct gpc_wait *w)
{
    struct gpc_vm *vm = &g->vm;
    w->end_path = 1;
    if (hits) {
        /* kvm_mmu_invalidate_end under KVM_MMU_LOCK: mmu_invalidate_seq++ */
        int locked = gpc_lock_nb(&vm->mmu_lock, w) >= 0;
        G_ADD(&vm->invalidate_seq, 1);
        if (locked) sync_rwlock_write_unlock(&vm->mmu_lock);
    }
    if (g->refresh_mode == GPCRACE_REFRESH_WAIT && start <= g->uhva && g->uhva < end) cache_invalidate_end(g, w);
    count_dec(g, w);
    w->end_path = 0;
}

void gpc_uffd_start(struct gpc *g) { sync_countwait_inc(&g->vm.active); }

int gpc_uffd_invalidate(struct gpc *g)
{
    struct gpc_wait w = {.nonblock = 0, .policy = GPCRACE_WAIT_SLEEP};
    return g->ops->invalidate_start(g, &w);
}

void gpc_uffd_end(struct gpc *g)
{
    G_ADD(&g->vm.invalidate_seq, 1);
    sync_countwait_dec(&g->vm.active);
}
