/*
 * gpc.c - the userspace gfn-to-pfn cache shared by every protocol variant, following
 * virt/kvm/pfncache.c (mainline v6.9 .. v6.18) function by function:
 *
 *   gpc_init              kvm_gpc_init
 *   gpc_activate          __kvm_gpc_activate (list_add under gpc_lock, active = true, refresh)
 *   gpc_deactivate        kvm_gpc_deactivate (active = valid = false, list_del, gpc_unmap); a
 *                         cache used in guest mode first kicks its readers out, as an invalidation does
 *   gpc_refresh           kvm_gpc_refresh + __kvm_gpc_refresh (unmap_old after the write side)
 *   hva_to_pfn_retry      hva_to_pfn_retry: mainline's retry loop, or the 2024 series' wait
 *   gpc_map / gpc_unmap   hva_to_pfn + gpc_map (kmap) / gpc_unmap (kunmap, memunmap)
 *   gpc_plain_check       kvm_gpc_check (active, valid) and the caller's load of khva
 *
 * khva: for file-backed memory the kernel mapping is a second MAP_SHARED view of the memfd page
 * in one of GPC_ALIAS_SLOTS slots, so the user-side invalidation (which zaps uhva) does not take
 * it away and a stale access lands in the frame the cache cached; gpc_unmap tears the view down
 * (the slot becomes PROT_NONE, and an access through it faults into the SIGSEGV guard, which
 * counts it as unmap-use: the memremap()/vmap() case; with lowmem kmap() it would be a silent
 * use of the freed frame). Anonymous memory has no second view of a frame: there khva is the
 * user address itself, and a stale access after the zap lands in the frame the refault brings.
 */
#define _GNU_SOURCE
#include "gpc.h"
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

uint64_t gpc_pagemap_pfn(int pagemap_fd, const void *addr)
{
    uint64_t e = 0;
    if (pagemap_fd < 0) return 0;
    if (pread(pagemap_fd, &e, sizeof(e), (off_t)(((uintptr_t)addr / GPC_PAGE) * sizeof(e))) != (ssize_t)sizeof(e)) return 0;
    if (!(e & (1ull << 63))) return 0;           /* not present */
    return e & ((1ull << 55) - 1);               /* 0 when the kernel hides frames (no CAP_SYS_ADMIN) */
}

/* ------------------------------------------------------------------ the khva slots */

static int area_reserve(struct gpc_khva_area *a, int memfd, uint64_t slot_len)
{
    a->memfd = memfd;
    a->slot_len = slot_len;
    if (memfd < 0) return 0;
    /* one more slot of room so the slots can be aligned to their size (hugetlb: 2 MiB) */
    uint64_t span = (GPC_ALIAS_SLOTS + 1) * slot_len;
    uint8_t *p = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return -errno;
    uintptr_t aligned = ((uintptr_t)p + slot_len - 1) / slot_len * slot_len;
    a->base = (uint8_t *)aligned;
    return 0;
}

uint8_t *gpc_khva_area_base(const struct gpc *g) { return g->area.base; }
uint64_t gpc_khva_area_len(const struct gpc *g) { return g->area.base ? GPC_ALIAS_SLOTS * g->area.slot_len : 0; }

static int slot_of(const struct gpc_khva_area *a, const uint8_t *khva)
{
    if (!a->base || khva < a->base || khva >= a->base + GPC_ALIAS_SLOTS * a->slot_len) return -1;
    return (int)((uint64_t)(khva - a->base) / a->slot_len);
}

/* The least recently freed slot that is neither mapped nor quarantined (a torn-down view a
 * stale reader may still hold keeps its place until the round ends, so its faults stay faults). */
static int slot_alloc(struct gpc_khva_area *a)
{
    for (uint32_t i = 0; i < GPC_ALIAS_SLOTS; i++) {
        uint32_t s = (a->next + i) % GPC_ALIAS_SLOTS;
        if (!((a->busy | a->quarantine) & (1u << s))) {
            a->busy |= 1u << s;
            a->next = (s + 1) % GPC_ALIAS_SLOTS;
            return (int)s;
        }
    }
    return -1;
}

void gpc_khva_release_quarantine(struct gpc *g) { g->area.quarantine = 0; }

/* hva_to_pfn (virt/kvm/kvm_main.c) for the cached page, then gpc_map: fault it in for write, read
 * its frame, and make the kernel mapping, reusing the old one when the frame did not change
 * (hva_to_pfn_retry: "if (new_pfn == gpc->pfn) new_khva = old_khva"). */
static int gpc_map(struct gpc *g, struct gpc_translation *t, uint8_t *old_khva)
{
    void *uhva = (void *)(uintptr_t)g->uhva;
    int r;
    while ((r = madvise(uhva, GPC_PAGE, MADV_POPULATE_WRITE)) != 0 && errno == EINTR) {
        /* a kick arrived during the fault-in: fault again */
    }
    if (r != 0) return -errno;
    struct gpc_khva_area *a = &g->area;
    /* The frame: the kernel's GUP hands it back for free, a pagemap read costs more than the
     * fault itself (about 1.2 us against 0.7 us on a 2-vCPU VM) and would slow every pass of the
     * retry loop. So it is read only where a decision follows (a second mapping is kept only for
     * the same frame); without one the round reads the frame itself, outside the race. */
    t->pfn = a->base ? gpc_pagemap_pfn(g->pagemap_fd, uhva) : 0;
    t->offset = g->memfd_offset ? *g->memfd_offset : 0;
    if (!a->base) {
        t->khva = (uint8_t *)uhva;
        return 0;
    }
    if (t->pfn && t->pfn == g->pfn && old_khva) { /* with unknown frames every refresh maps anew */
        t->khva = old_khva;
        return 0;
    }
    int s = slot_alloc(a);
    if (s < 0) return -ENOSPC;
    uint8_t *at = a->base + (uint64_t)s * a->slot_len;
    void *p = mmap(at, a->slot_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, a->memfd, (off_t)t->offset);
    if (p == MAP_FAILED) {
        r = -errno;
        a->busy &= ~(1u << s);
        return r;
    }
    t->khva = at;
    return 0;
}

/*
 * gpc_unmap (virt/kvm/pfncache.c): tear the kernel mapping down. The SRCU protocols first wait
 * for every reader that may still use it (unmap_sync: the proposal's synchronize_srcu). A
 * `published` khva was visible to readers: its slot stays quarantined until the round ends.
 */
static void gpc_unmap(struct gpc *g, uint8_t *khva, int published)
{
    struct gpc_khva_area *a = &g->area;
    if (!khva) return;
    /* the proposal's synchronize_srcu is gpc_unmap's, whatever khva is (in the kernel always a
     * kmap; here the user address itself on anonymous memory) */
    if (published && g->ops->unmap_sync) g->ops->unmap_sync(g);
    int s = slot_of(a, khva);
    if (s < 0) return; /* the user address: no kernel mapping of our own to tear down */
    mmap(khva, a->slot_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    a->busy &= ~(1u << s);
    if (published) {
        a->quarantine |= 1u << s;
        G_ADD(&a->torn_down, 1);
    }
}

/* ------------------------------------------------------------------ write side, publication */

static int write_side_lock(struct gpc *g) { return g->ops->write_lock ? g->ops->write_lock(g) : 0; }

static void write_side_unlock(struct gpc *g)
{
    if (g->ops->write_unlock) g->ops->write_unlock(g);
}

/* The end of hva_to_pfn_retry: gpc->valid = true, gpc->pfn, gpc->khva, under the write side.
 * The generation is the harness's: it travels in khva's low bits, valid is stored last. */
void gpc_set_translation(struct gpc *g, const struct gpc_translation *t)
{
    uint64_t gen = G_LOAD_RLX(&g->generation) + 1;
    g->khva = t->khva;
    g->pfn = t->pfn;
    g->offset = t->offset;
    g->gen_offset[gen % GPCRACE_GPC_GENS] = t->offset;
    G_STORE_RLX(&g->generation, gen);
    G_STORE_RLX(&g->khva_word, (uint64_t)(uintptr_t)t->khva | (gen & GPC_TAG_MASK));
    G_STORE_REL(&g->valid, 1u);
}

/* kvm_gpc_check (virt/kvm/pfncache.c) as three loads: active, valid, khva (and its tag). */
int gpc_plain_check(struct gpc *g, struct gpc_view *v)
{
    if (!G_LOAD_ACQ(&g->active)) return 0;
    if (!G_LOAD_ACQ(&g->valid)) return 0;
    uint64_t w = G_LOAD_ACQ(&g->khva_word);
    v->khva = (uint8_t *)(uintptr_t)(w & ~GPC_TAG_MASK);
    v->gen = w & GPC_TAG_MASK;
    return 1;
}

int gpc_seq_check(struct gpc *g, struct gpc_view *v)
{
    uint32_t s, active, valid;
    uint64_t w;
    do {
        s = sync_seq_read_begin(&g->seq);
        active = G_LOAD_RLX(&g->active);
        valid = G_LOAD_RLX(&g->valid);
        w = G_LOAD_RLX(&g->khva_word);
    } while (sync_seq_read_retry(&g->seq, s));
    v->khva = (uint8_t *)(uintptr_t)(w & ~GPC_TAG_MASK);
    v->gen = w & GPC_TAG_MASK;
    return active && valid;
}

/* ------------------------------------------------------------------ refresh */

/*
 * hva_to_pfn_retry (virt/kvm/pfncache.c), entered and left with the write side held.
 *
 * retry (mainline): snapshot mmu_invalidate_seq, drop the lock, fault the page in and map it,
 *   take the lock, and go round again while mmu_notifier_retry_cache() says an invalidation is
 *   running (mn_active_invalidate_count, of any range) or ran (the seq moved): "effectively just a
 *   complex busy wait loop" under concurrent invalidations.
 * wait ("[PATCH v2] KVM: Move gfn_to_pfn_cache invalidation to invalidate_range_end hook", David
 *   Woodhouse, 20 Aug 2024): set needs_invalidation, drop the lock, fault in and map, sleep while
 *   an invalidation covering uhva is pending (gpc_wait_for_invalidations), take the lock, and go
 *   round again only if an invalidation cleared needs_invalidation meanwhile.
 */
static int hva_to_pfn_retry(struct gpc *g, struct gpc_stats *st)
{
    uint8_t *old_khva = g->khva;
    struct gpc_translation t = {0};
    int have = 0;
    int wait = g->refresh_mode == GPCRACE_REFRESH_WAIT;
    G_STORE(&g->valid, 0u);
    for (uint32_t tries = 0;; tries++) {
        uint64_t mmu_seq = 0;
        if (wait) G_STORE(&g->needs_invalidation, 1u);
        else mmu_seq = G_LOAD(&g->vm.invalidate_seq);
        write_side_unlock(g);
        /* the previous iteration's mapping, unless it was the old one; cond_resched() */
        if (have) {
            if (t.khva != old_khva) gpc_unmap(g, t.khva, 0);
            if (g->yield_on_retry) sched_yield();
        }
        int r = gpc_map(g, &t, old_khva);
        if (r < 0) {
            if (write_side_lock(g) < 0) return -ECANCELED;
            return r; /* out_error: -EFAULT in the kernel; the caller decides */
        }
        have = 1;
        if (wait && gpc_wait_for_invalidations(g) < 0) {
            if (t.khva != old_khva) gpc_unmap(g, t.khva, 0);
            return -ECANCELED;
        }
        if (write_side_lock(g) < 0) {
            if (t.khva != old_khva) gpc_unmap(g, t.khva, 0);
            return -ECANCELED;
        }
        int retry = wait ? !G_LOAD(&g->needs_invalidation) : gpc_retry_needed(g, mmu_seq);
        if (!retry) break;
        st->retries++;
        if (tries + 1 > st->max_retries) st->max_retries = tries + 1;
        if (tries + 1 > g->refresh_retry_bound) st->livelock = 1;
        if (g->abort && G_LOAD(g->abort)) {
            write_side_unlock(g);
            if (t.khva != old_khva) gpc_unmap(g, t.khva, 0);
            return -ECANCELED;
        }
    }
    gpc_set_translation(g, &t);
    return 0;
}

/* __kvm_gpc_refresh, called with refresh_lock held. -EINVAL: the cache is not active. */
static int gpc_refresh_locked(struct gpc *g, struct gpc_stats *st)
{
    if (write_side_lock(g) < 0) return -ECANCELED;
    if (!G_LOAD(&g->active)) {
        write_side_unlock(g);
        return -EINVAL;
    }
    if (G_LOAD(&g->valid)) { /* the translation is valid (another task refreshed it): keep it */
        write_side_unlock(g);
        return 0;
    }
    uint8_t *old_khva = g->khva;
    int r = hva_to_pfn_retry(g, st);
    if (r < 0 && r != -ECANCELED) { /* "purge the pfn/khva if the refresh failed" */
        G_STORE(&g->valid, 0u);
        G_STORE(&g->needs_invalidation, 0u);
        g->khva = NULL;
        g->pfn = 0;
        G_STORE(&g->khva_word, 0ull);
    }
    /* detect a pfn change before dropping the lock */
    int unmap_old = r == 0 && old_khva && old_khva != g->khva;
    if (r != -ECANCELED) write_side_unlock(g);
    if (unmap_old) gpc_unmap(g, old_khva, 1);
    if (r == 0) st->refreshes++;
    return r;
}

/* kvm_gpc_refresh: guard(mutex)(&gpc->refresh_lock), then __kvm_gpc_refresh. */
int gpc_refresh(struct gpc *g, struct gpc_stats *st)
{
    if (sync_mutex_lock(&g->refresh_lock) < 0) return -ECANCELED;
    int r = gpc_refresh_locked(g, st);
    sync_mutex_unlock(&g->refresh_lock);
    return r;
}

/* ------------------------------------------------------------------ lifecycle */

/* kvm_gpc_init, plus the per-VM notifier state the cache is checked against. */
int gpc_init(struct gpc *g, const struct gpc_ops *ops, const struct gpc_init_args *a)
{
    memset(g, 0, sizeof(*g));
    g->ops = ops;
    sync_rwlock_init(&g->lock, a->lock_kind, a->abort);
    sync_seqcount_init(&g->seq);
    sync_mutex_init(&g->refresh_lock, a->abort);
    sync_srcu_init(&g->srcu, a->nreaders, a->abort);
    gpc_vm_init(&g->vm, a->preempt_rt, a->abort);
    gpc_defer_init(&g->defer, a->abort);
    g->uhva = a->uhva;
    g->len = a->len;
    g->refresh_mode = a->refresh_mode;
    g->refresh_retry_bound = a->retry_bound;
    g->memfd_offset = a->memfd_offset;
    g->abort = a->abort;
    g->pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    return area_reserve(&g->area, a->memfd, a->alias_len);
}

void gpc_fini(struct gpc *g)
{
    if (g->area.base) munmap(g->area.base, GPC_ALIAS_SLOTS * g->area.slot_len);
    g->area.base = NULL;
    if (g->pagemap_fd >= 0) close(g->pagemap_fd);
    g->pagemap_fd = -1;
}

/* __kvm_gpc_activate: on the VM's list under gpc_lock, active = true, then the refresh. */
int gpc_activate(struct gpc *g, struct gpc_stats *st)
{
    if (sync_mutex_lock(&g->refresh_lock) < 0) return -ECANCELED;
    int r = 0;
    if (!G_LOAD(&g->active)) {
        /* list_add(&gpc->list, &kvm->gpc_list) under gpc_lock: "a concurrent refresh must not
         * establish a mapping until the cache is reachable by mmu_notifier events" */
        if (sync_rwlock_write_lock(&g->vm.gpc_lock, GPCRACE_WAIT_SLEEP) < 0) r = -ECANCELED;
        else sync_rwlock_write_unlock(&g->vm.gpc_lock);
        if (r == 0 && (r = write_side_lock(g)) == 0) {
            G_STORE(&g->active, 1u);
            write_side_unlock(g);
        }
    }
    if (r == 0) r = gpc_refresh_locked(g, st);
    sync_mutex_unlock(&g->refresh_lock);
    return r;
}

/* kvm_gpc_deactivate: active = valid = false and khva cleared on the write side, off the VM's
 * list, then gpc_unmap of the old mapping. */
int gpc_deactivate(struct gpc *g)
{
    if (sync_mutex_lock(&g->refresh_lock) < 0) return -ECANCELED;
    int r = 0;
    if (G_LOAD(&g->active)) {
        if ((r = write_side_lock(g)) == 0) {
            G_STORE(&g->active, 0u);
            G_STORE(&g->valid, 0u);
            G_STORE(&g->needs_invalidation, 0u);
            uint8_t *old_khva = g->khva;
            g->khva = NULL;
            g->pfn = 0;
            G_STORE(&g->khva_word, 0ull);
            write_side_unlock(g);
            if (g->guest) { /* readers using the frame in guest mode leave it before the mapping goes */
                struct gpc_wait w = {.nonblock = 0, .policy = GPCRACE_WAIT_SLEEP};
                gpc_guest_evict(g, &w);
            }
            if (sync_rwlock_write_lock(&g->vm.gpc_lock, GPCRACE_WAIT_SLEEP) < 0) r = -ECANCELED; /* list_del */
            else sync_rwlock_write_unlock(&g->vm.gpc_lock);
            gpc_unmap(g, old_khva, 1);
        }
    }
    sync_mutex_unlock(&g->refresh_lock);
    return r;
}

int gpc_nop_read_begin(struct gpc *g, int reader, struct gpc_view *v)
{
    (void)g; (void)reader; (void)v;
    return 0;
}

void gpc_nop_read_end(struct gpc *g, int reader, struct gpc_view *v) { (void)g; (void)reader; (void)v; }
