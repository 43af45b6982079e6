/*
 * race.c - the round runner. Each round: every actor leaves a barrier together; each invalidator
 * waits its start delay and performs its share of the round's invalidations (one or two
 * invalidator threads, up to GPCRACE_GPC_MAX_EVENTS in all, so two can overlap): the notifier
 * start, the snapshot S of the generation it invalidated, the kernel operation, the new owner's
 * takeover of a frame that kept its content, the notifier end. In an unmap round the first of
 * them is kvm_gpc_deactivate + kvm_gpc_activate instead. Each reader performs K accesses through
 * the cache (refreshing when it finds it invalid), tallying the generation each used; in guest
 * mode it enters "guest mode" after the check and uses the frame with no lock until kicked. At
 * the end barrier the first invalidator, as arbiter, writes the round's raw numbers for Java to
 * judge. A storm thread may invalidate an unrelated range throughout, and a worker does what
 * deferred non-blockable starts left to do.
 *
 * The calling thread is the watchdog: a batch that makes no progress for watchdog_ns is a
 * hang; it sets the abort word, every wait returns, the actors are joined.
 *
 * The runner drives the rounds; the round's state and the steps the notifiers share live in
 * round.c, the kernel operations in invalidate.c, the userfaultfd notifier in uffd_notifier.c,
 * the cache and the notifier path in gpc*.c. Where a step mirrors KVM, the kernel function is
 * named beside it (virt/kvm/kvm_main.c, virt/kvm/pfncache.c, arch/x86/kvm/x86.c).
 */
#define _GNU_SOURCE
#include "round.h"
#include "invalidate.h"
#include "uffd_notifier.h"
#include "segv_guard.h"
#include "clock.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define WATCHDOG_TICK_NS 100000000LL
#define STORM_MAX_PAGES (1u << 18)

static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static void busy_ns(int64_t ns)
{
    if (ns <= 0) return;
    int64_t end = mono_ns() + ns;
    while (mono_ns() < end) sync_cpu_relax();
}

/* The round start: a spin barrier releases everyone within tens of ns; on shared CPUs a waiter
 * spinning would keep the CPU from the actor it waits for, so the run sleeps there instead. */
static int start_barrier(struct gpcrace_gpc_run *run, uint32_t *sense)
{
    if (run->shared) return sync_sleep_barrier_wait(&run->start_shared, -1);
    return sync_spin_barrier_wait(&run->start, sense);
}

/* Every reader and invalidator pinned, each on a CPU no other of them uses. */
static int distinct_cpus(const struct gpcrace_gpc_config *cfg)
{
    int n = (int)cfg->readers + 1;
    int slots[GPCRACE_GPC_MAX_ACTORS];
    int k = 0;
    for (int a = 0; a < n; a++) slots[k++] = a;
    if (cfg->invalidators > 1) slots[k++] = (int)cfg->readers + 2;
    if (cfg->storm_pages) slots[k++] = (int)cfg->readers + 3;
    for (int i = 0; i < k; i++) {
        if (cfg->cpus[slots[i]] < 0) return 0;
        for (int j = 0; j < i; j++)
            if (cfg->cpus[slots[j]] == cfg->cpus[slots[i]]) return 0;
    }
    return 1;
}

/* Every actor thread first: pinned to its CPU, and where it landed reported. */
static void actor_start(struct gpcrace_gpc_run *run, int index)
{
    round_pin_self(run->cfg.cpus[index]);
    run->actor_cpu[index] = sched_getcpu();
}

/* ------------------------------------------------------------------ readers */

/*
 * One access through khva (tag: the generation published with it), as kvm_setup_guest_pvclock
 * (arch/x86/kvm/x86.c) writes: version odd, the fields, [access_ns of further work], then the
 * oracle's counter of that generation in whatever frame khva reaches as the access's last data
 * store, version even. The counter goes last so the access is in flight for its whole length.
 * A khva the cache cleared (deactivated) is not dereferenced, and one gpc_unmap tore down faults
 * into the guard: both are counted as unmap-use.
 */
static inline void do_access(struct gpcrace_gpc_run *run, struct round_reader *rd, uint64_t *tally, uint8_t *khva,
                             uint64_t tag, int reader)
{
    const struct gpcrace_gpc_config *cfg = &run->cfg;
    uint64_t d = (tag - run->g_inv) & GPC_TAG_MASK;
    if (d >= GPCRACE_GPC_GENS) {
        rd->tally_other++; /* a generation outside the round: a harness bug the oracle reports */
        return;
    }
    tally[d]++;
    if (!khva) {
        rd->unmap_use++;
        return;
    }
    uint32_t hits = segv_guard_slot_hits();
    struct round_slot *s = round_slot(khva, reader);
    uint32_t v = 0;
    if (cfg->access == GPCRACE_ACCESS_PVCLOCK) {
        v = G_LOAD_RLX(&s->version);
        G_STORE_RLX(&s->version, v + 1u);
        __atomic_thread_fence(__ATOMIC_RELEASE);
        G_STORE_RLX(&s->tsc_timestamp, tsc_now());
        G_STORE_RLX(&s->system_time, tally[d]);
        G_STORE_RLX(&s->tsc_to_system_mul, 0x80000000u);
    }
    busy_ns(cfg->access_ns);
    __atomic_add_fetch(&s->counter[d], 1, __ATOMIC_RELAXED);
    if (cfg->access == GPCRACE_ACCESS_PVCLOCK) {
        __atomic_thread_fence(__ATOMIC_RELEASE);
        G_STORE_RLX(&s->version, v + 2u);
    }
    if (segv_guard_slot_hits() != hits) rd->unmap_use++;
}

/* Test hook: reader 0 stalls inside its read section until the watchdog aborts the run. */
static void stall_until_abort(struct gpcrace_gpc_run *run)
{
    while (!G_LOAD(&run->abort)) sync_futex_wait(&run->abort, 0, SYNC_RECHECK_NS);
}

/* A refresh that failed: the cache is inactive (an unmap round) or a concurrent invalidation
 * made the fault-in fail (the mprotect window): try again; anything else ends the batch. */
static int refresh_failed(struct gpcrace_gpc_run *run, struct round_reader *rd, int e)
{
    if (e == -ECANCELED) return -ECANCELED;
    if (e == -EINVAL || sync_countwait_count(&run->gpc.vm.active) != 0 || G_LOAD(&run->prot_none)) {
        if (e != -EINVAL) rd->stats.retries++;
        sched_yield();
        return 0;
    }
    round_fail(run, -e, "reader refresh: fault-in of the guest page");
    return -ECANCELED;
}

/*
 * The read side with the check, refreshing until the cache is usable: a GPC user's
 *   read_lock; while (!kvm_gpc_check()) { read_unlock; kvm_gpc_refresh(); read_lock; }
 * with the protocol's read side in place of read_lock. Returns with the read side held.
 */
static int enter_checked(struct gpcrace_gpc_run *run, int r, struct gpc_view *v, int stall)
{
    struct round_reader *rd = &run->readers[r];
    struct gpc *g = &run->gpc;
    for (;;) {
        G_STORE_RLX(&rd->inside, 1u);
        if (run->ops->read_begin(g, r, v) < 0) return -ECANCELED;
        if (stall) {
            stall_until_abort(run);
            run->ops->read_end(g, r, v);
            return -ECANCELED;
        }
        if (run->ops->check(g, v)) return 0;
        run->ops->read_end(g, r, v);
        G_STORE_RLX(&rd->inside, 0u);
        int e = gpc_refresh(g, &rd->stats);
        if (e < 0 && refresh_failed(run, rd, e) < 0) return -ECANCELED;
    }
}

/* Host mode: K accesses, and on until one access starts after the invalidations ended, so
 * every round exercises the path after them (refresh, or the stale use of an unsafe variant). */
static int reader_round_host(struct gpcrace_gpc_run *run, int r, uint64_t *tally, int stall_at)
{
    struct round_reader *rd = &run->readers[r];
    const struct gpcrace_gpc_config *cfg = &run->cfg;
    int64_t t0 = mono_ns();
    for (uint32_t k = 0;; k++) {
        uint32_t done = G_LOAD_ACQ(&run->inv_done);
        struct gpc_view v;
        if (enter_checked(run, r, &v, stall_at >= 0 && k == (uint32_t)stall_at) < 0) return -ECANCELED;
        do_access(run, rd, tally, v.khva, v.gen, r);
        run->ops->read_end(&run->gpc, r, &v);
        G_STORE_RLX(&rd->inside, 0u);
        if (k + 1 == cfg->stride) rd->loop_ns = (uint64_t)(mono_ns() - t0);
        if (k + 1 >= cfg->stride && done) return 0;
        if (k + 1 >= cfg->stride && run->shared) sched_yield(); /* let the invalidators finish */
    }
}

/*
 * Guest mode (KVM_GUEST_USES_PFN): each entry is vcpu_enter_guest's: check the cache under the
 * read side, mode = IN_GUEST_MODE (cancelled when a request is pending), drop the read side,
 * then use the frame with no lock until the kick's signal arrives; leaving guest mode is the
 * acknowledgement the invalidation waits for.
 */
static int reader_round_guest(struct gpcrace_gpc_run *run, int r, uint64_t *tally, int stall_at)
{
    struct round_reader *rd = &run->readers[r];
    struct gpc *g = &run->gpc;
    const struct gpcrace_gpc_config *cfg = &run->cfg;
    int64_t t0 = mono_ns();
    uint32_t k = 0;
    for (;;) {
        struct gpc_view v;
        if (enter_checked(run, r, &v, stall_at >= 0 && k >= (uint32_t)stall_at) < 0) return -ECANCELED;
        if (!gpc_guest_enter(g, r)) {
            run->ops->read_end(g, r, &v);
            G_STORE_RLX(&rd->inside, 0u);
            continue;
        }
        run->ops->read_end(g, r, &v); /* in guest mode the CPU uses the frame with no lock held */
        int finished = 0;
        while (!gpc_guest_kicked()) {
            uint32_t done = G_LOAD_ACQ(&run->inv_done);
            do_access(run, rd, tally, v.khva, v.gen, r);
            k++;
            if (k == cfg->stride) rd->loop_ns = (uint64_t)(mono_ns() - t0);
            if (k >= cfg->stride && done) {
                finished = 1;
                break;
            }
            if (k >= cfg->stride && run->shared) sched_yield();
        }
        int64_t ns = gpc_guest_exit(g, r);
        G_STORE_RLX(&rd->inside, 0u);
        if (ns) {
            rd->kicks++;
            if (!rd->kick_ns) rd->kick_ns = (uint64_t)ns;
        }
        if (finished) return 0;
    }
}

static int reader_round(struct gpcrace_gpc_run *run, int r)
{
    struct round_reader *rd = &run->readers[r];
    uint64_t tally[GPCRACE_GPC_GENS] = {0};
    int stall = run->cfg.inject_hang_round && r == 0 && run->mode == GPCRACE_BATCH_RACE &&
                run->rounds_total + 1 == run->cfg.inject_hang_round;
    memset(&rd->stats, 0, sizeof(rd->stats));
    rd->tally_other = 0;
    rd->unmap_use = 0;
    rd->kicks = 0;
    rd->kick_ns = 0;
    int stall_at = stall ? (int)(run->cfg.stride / 2) : -1;
    int e = run->cfg.reader_mode == GPCRACE_READER_GUEST ? reader_round_guest(run, r, tally, stall_at)
                                                         : reader_round_host(run, r, tally, stall_at);
    memcpy(rd->tally, tally, sizeof(tally));
    return e;
}

static void *reader_main(void *arg)
{
    struct round_actor *a = arg;
    struct gpcrace_gpc_run *run = a->run;
    int r = a->index - 1;
    struct round_reader *rd = &run->readers[r];
    actor_start(run, a->index);
    rd->tid = (pid_t)syscall(SYS_gettid);
    if (run->gpc.guest) gpc_guest_register(&run->gpc, r);
    for (;;) {
        if (start_barrier(run, &rd->sense) < 0) break;
        if (G_LOAD(&run->stop)) break;
        if (reader_round(run, r) < 0) break;
        if (sync_sleep_barrier_wait(&run->end, -1) < 0) break;
    }
    return NULL;
}

/* ------------------------------------------------------------------ invalidator steps */

static int64_t draw_delay(struct gpcrace_gpc_run *run)
{
    uint64_t span = (uint64_t)(run->cfg.delay_max_ns - run->cfg.delay_min_ns) + 1u;
    return run->cfg.delay_min_ns + (int64_t)(rng_next(&run->rng) % span);
}

/* The frame the guest address maps now (file-backed: the page of the file behind it). */
static uint64_t frame_now(const struct gpcrace_gpc_run *run)
{
    return run->hview ? gpc_pagemap_pfn(run->gpc.pagemap_fd, run->hview + run->memfd_offset)
                      : gpc_pagemap_pfn(run->gpc.pagemap_fd, (void *)(uintptr_t)run->cfg.guest_base);
}

/* The frame the cache translates as the round starts: gpc->pfn where its refresh read one (a
 * second mapping); else the last record's frame while no refresh ran since; else a read. */
static uint64_t frame_before(const struct gpcrace_gpc_run *run)
{
    const struct gpc *g = &run->gpc;
    if (g->area.base) return G_LOAD(&g->pfn);
    if (run->rounds_total > 0 && run->gen_recorded == run->g_inv) return run->pfn_recorded;
    return frame_now(run);
}

/* Before the start barrier: a fresh round state, the source prepared, the cache valid
 * (kvm_gpc_refresh, or __kvm_gpc_activate after an unmap round), the counters zeroed, this
 * round's start delays drawn. */
static int prepare_round(struct gpcrace_gpc_run *run)
{
    struct gpc *g = &run->gpc;
    const struct gpcrace_gpc_config *cfg = &run->cfg;
    G_STORE(&run->flags, 0u);
    G_STORE(&run->inv_done, 0u);
    run->frame_early = 0;
    G_STORE(&run->invalidators_done, 0u);
    G_STORE(&run->events, 0u);
    G_STORE(&run->eagains, 0u);
    G_STORE(&run->would_sleep, 0u);
    G_STORE(&run->kicks, 0u);
    G_STORE(&run->snap_mask, 0u);
    run->readers_inside = 0;
    run->zap_errno = 0;
    run->inv_t0_ns = 0;
    run->inv_t1_ns = 0;
    memset(run->snapshot, 0, sizeof(run->snapshot));
    gpc_defer_round_reset(g);
    gpc_khva_release_quarantine(g);
    run->unmap_round = run->mode == GPCRACE_BATCH_RACE && cfg->unmap_every && (run->rounds_total + 1) % cfg->unmap_every == 0;
    if (run->mode == GPCRACE_BATCH_RACE) {
        int e = invalidate_prepare(run);
        if (e) {
            round_fail(run, e, "round setup: preparing the source");
            return -ECANCELED;
        }
    }
    struct gpc_stats st = {0};
    int r = G_LOAD(&g->active) ? gpc_refresh(g, &st) : gpc_activate(g, &st); /* the cache is valid when the round starts */
    if (r < 0) {
        if (r != -ECANCELED) round_fail(run, -r, "round setup: refresh of the guest page");
        return -ECANCELED;
    }
    run->g_inv = G_LOAD(&g->generation);
    run->pfn_before = frame_before(run);
    round_reset_counters(run);
    run->delay_ns = draw_delay(run);
    run->delay2_ns = draw_delay(run);
    run->storm_at_start = G_LOAD(&run->storm.count);
    G_STORE(&run->uffd.madvise_done, 0u);
    G_STORE(&run->uffd.end_done, 0u);
    return 0;
}

int gpcrace_gpc_inv_begin(struct gpcrace_gpc_run *run)
{
    if (G_LOAD(&run->abort)) return -ECANCELED;
    if (run->batch_done >= run->batch_rounds) {
        G_STORE(&run->stop, 1u); /* the others see it after this last barrier and leave */
        int r = start_barrier(run, &run->inv_sense);
        G_ADD(&run->progress, 1u);
        sync_futex_wake(&run->progress, 1);
        return r < 0 ? r : 0;
    }
    if (prepare_round(run) < 0) return -ECANCELED;
    if (start_barrier(run, &run->inv_sense) < 0) return -ECANCELED;
    if (run->t0_ns == 0) run->t0_ns = mono_ns();
    busy_ns(run->delay_ns);
    return 1;
}

static void note_start(struct gpcrace_gpc_run *run)
{
    int64_t now = mono_ns(), none = 0;
    if (__atomic_compare_exchange_n(&run->inv_t0_ns, &none, now, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        run->readers_inside = round_readers_inside(run);
}

static void note_end(struct gpcrace_gpc_run *run)
{
    int64_t now = mono_ns(), t = G_LOAD(&run->inv_t1_ns);
    while (t < now && !__atomic_compare_exchange_n(&run->inv_t1_ns, &t, now, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    }
}

static void add_wait(struct gpcrace_gpc_run *run, const struct gpc_wait *w)
{
    if (w->would_sleep) G_ADD(&run->would_sleep, w->would_sleep);
    if (w->kicks) G_ADD(&run->kicks, w->kicks);
    if (w->deferred) round_flag(run, GPCRACE_ROUND_DEFERRED);
}

static struct gpc_wait notifier_wait(const struct gpcrace_gpc_run *run)
{
    struct gpc_wait w = {.nonblock = (int)run->cfg.nonblock,
                         .policy = run->cfg.nonblock ? (int)run->cfg.nonblock_policy : GPCRACE_WAIT_SLEEP};
    return w;
}

/*
 * kvm_mmu_notifier_invalidate_range_start for the guest range (in a memslot, covering the
 * cached page) under the policy of a non-blockable range when asked for; then the snapshot S.
 * 0 = perform the kernel operation now, 1 = skip it (EAGAIN), -ECANCELED.
 */
static int event_start(struct gpcrace_gpc_run *run)
{
    struct gpc *g = &run->gpc;
    note_start(run);
    struct gpc_wait w = notifier_wait(run);
    int r = gpc_range_start(g, run->cfg.guest_base, run->cfg.guest_base + run->inv_len, 1, &w);
    add_wait(run, &w);
    if (r == -ECANCELED) return r;
    if (r == -EAGAIN) { /* the OOM reaper skips this range: no zap, and no end */
        G_ADD(&run->eagains, 1u);
        round_flag(run, GPCRACE_ROUND_EAGAIN);
        note_end(run);
        return 1;
    }
    round_take_snapshot(run); /* from here on no reader may touch the frame of what it invalidated */
    G_ADD(&run->events, 1u);
    round_flag(run, GPCRACE_ROUND_INVALIDATED);
    return 0;
}

/* After the operation: the new owner's takeover, then kvm_mmu_notifier_invalidate_range_end. */
static void event_end(struct gpcrace_gpc_run *run, int zap_errno)
{
    if (zap_errno == 0) round_flag(run, GPCRACE_ROUND_ZAPPED);
    else run->zap_errno = zap_errno;
    round_handover(run, zap_errno);
    struct gpc_wait w = notifier_wait(run);
    gpc_range_end(&run->gpc, run->cfg.guest_base, run->cfg.guest_base + run->inv_len, 1, &w);
    add_wait(run, &w);
    note_end(run);
}

/* An unmap round's event: kvm_gpc_deactivate (gpc_unmap inside), S, the frame handed over,
 * __kvm_gpc_activate (which refreshes). Not in the notifier path: a blocking context. */
static int event_unmap(struct gpcrace_gpc_run *run)
{
    struct gpc *g = &run->gpc;
    note_start(run);
    if (gpc_deactivate(g) < 0) return -ECANCELED;
    round_take_snapshot(run);
    G_ADD(&run->events, 1u);
    round_flag(run, GPCRACE_ROUND_INVALIDATED | GPCRACE_ROUND_UNMAP);
    round_reset_counters(run); /* the frame's next owner takes it over */
    round_flag(run, GPCRACE_ROUND_RESET);
    struct gpc_stats st = {0};
    int r = gpc_activate(g, &st);
    note_end(run);
    if (r < 0 && r != -ECANCELED) round_fail(run, -r, "unmap round: kvm_gpc_activate");
    return r < 0 ? -ECANCELED : 0;
}

int gpcrace_gpc_inv_notify_start(struct gpcrace_gpc_run *run)
{
    if (run->mode == GPCRACE_BATCH_CALIBRATE) return 1;
    if (G_LOAD(&run->abort)) return -ECANCELED;
    if (run->cfg.notifier == GPCRACE_NOTIFIER_UFFD) return 0; /* a plain madvise: the monitor reacts */
    return event_start(run);
}

/* The invalidations of invalidator `which` (0, 1) this round: events [first, first + n). */
static void share(const struct gpcrace_gpc_run *run, int which, uint32_t *first, uint32_t *n)
{
    uint32_t total = run->cfg.invalidations, inv = run->cfg.invalidators;
    uint32_t mine0 = (total + inv - 1) / inv;
    *first = which == 0 ? 0 : mine0;
    *n = which == 0 ? mine0 : total - mine0;
}

/* One invalidator's events of the round, with a fresh delay between two of its own. */
static int run_events(struct gpcrace_gpc_run *run, int which)
{
    uint32_t first, n;
    share(run, which, &first, &n);
    for (uint32_t i = 0; i < n; i++) {
        if (i > 0) busy_ns(draw_delay(run) / 2);
        if (run->unmap_round && first + i == 0) {
            if (event_unmap(run) < 0) return -ECANCELED;
            continue;
        }
        int r = event_start(run);
        if (r < 0) return r;
        if (r == 1) continue;
        event_end(run, invalidate_zap(run));
    }
    return 0;
}

/* The last invalidator to finish waits for the defer worker, then the invalidations have ended. */
static int invalidator_done(struct gpcrace_gpc_run *run)
{
    if (G_ADD(&run->invalidators_done, 1u) < run->cfg.invalidators) return 0;
    int r = 0;
    if (run->cfg.nonblock && run->cfg.nonblock_policy == GPCRACE_WAIT_DEFER) r = gpc_defer_drain(&run->gpc);
    G_STORE_REL(&run->inv_done, 1u);
    /* Nothing changes the guest address's mapping for the rest of the round once its frame is
     * back, so a frame read now is the record's, read while the readers finish (the round's
     * critical path) instead of after them; not back yet: the record reads it. */
    run->frame_early = frame_now(run);
    return r;
}

static void write_record(struct gpcrace_gpc_run *run)
{
    const struct gpcrace_gpc_config *cfg = &run->cfg;
    uint64_t stride = gpcrace_gpc_round_bytes(cfg->readers);
    struct gpcrace_gpc_round *rec = (struct gpcrace_gpc_round *)(run->buf + run->batch_done * stride);
    struct gpcrace_gpc_reader_round *rr = (struct gpcrace_gpc_reader_round *)(rec + 1);
    uint32_t flags = G_LOAD(&run->flags);
    uint32_t snap = G_LOAD(&run->snap_mask);
    uint32_t refreshes = 0, retries = 0, livelock = 0, max_retries = 0;
    /* the frame first: reading the counters of an unmapped page would map one. File-backed: the
     * page of the file the guest address maps (the readers may never have touched uhva itself) */
    rec->pfn_after = run->frame_early ? run->frame_early : frame_now(run);
    run->pfn_recorded = rec->pfn_after;
    run->gen_recorded = G_LOAD(&run->gpc.generation);
    uint8_t *pages[2];
    int npages = round_pages(run, pages);
    for (uint32_t r = 0; r < cfg->readers; r++) {
        struct round_reader *rd = &run->readers[r];
        for (int d = 0; d < GPCRACE_GPC_GENS; d++) {
            rr[r].snapshot[d] = (snap & (1u << d)) ? run->snapshot[d][r] : 0;
            rr[r].tally[d] = rd->tally[d];
            uint64_t c = 0;
            for (int p = 0; p < npages; p++) c += G_LOAD(&round_slot(pages[p], (int)r)->counter[d]);
            rr[r].counter_end[d] = c;
        }
        rr[r].tally_other = rd->tally_other;
        rr[r].loop_ns = rd->loop_ns;
        rr[r].kick_ns = rd->kick_ns;
        rr[r].unmap_use = rd->unmap_use;
        rr[r].kicks = rd->kicks;
        refreshes += rd->stats.refreshes;
        retries += rd->stats.retries;
        livelock |= rd->stats.livelock;
        if (rd->stats.max_retries > max_retries) max_retries = rd->stats.max_retries;
    }
    rec->round = ++run->rounds_total;
    rec->elapsed_ns = (uint64_t)(mono_ns() - run->t0_ns);
    rec->delay_ns = run->delay_ns;
    rec->generation = run->g_inv;
    rec->pfn_before = run->pfn_before;
    rec->inv_ns = run->inv_t1_ns > run->inv_t0_ns ? (uint64_t)(run->inv_t1_ns - run->inv_t0_ns) : 0;
    struct gpc_defer *df = &run->gpc.defer;
    rec->defer_ns = df->first_ns && df->done_ns > df->first_ns ? (uint64_t)(df->done_ns - df->first_ns) : 0;
    rec->flags = flags | (livelock ? GPCRACE_ROUND_LIVELOCK : 0);
    rec->would_sleep = G_LOAD(&run->would_sleep);
    rec->readers_inside = run->readers_inside;
    rec->refreshes = refreshes;
    rec->refresh_retries = retries;
    rec->zap_errno = run->zap_errno;
    rec->events = G_LOAD(&run->events);
    rec->eagains = G_LOAD(&run->eagains);
    rec->snap_mask = snap;
    rec->final_gen = (uint32_t)(G_LOAD(&run->gpc.generation) - run->g_inv);
    rec->kicks = G_LOAD(&run->kicks);
    rec->storm_invalidations = (uint32_t)(G_LOAD(&run->storm.count) - run->storm_at_start);
    rec->max_retries = max_retries;
    rec->pad = 0;
}

/*
 * After the operation: (hooks) the new owner's takeover and kvm_mmu_notifier_invalidate_range_end,
 * or (userfaultfd) the monitor's end; then the end barrier and the round's record.
 */
int gpcrace_gpc_inv_finish(struct gpcrace_gpc_run *run, int zap_errno)
{
    if (run->mode == GPCRACE_BATCH_RACE) {
        if (run->cfg.notifier == GPCRACE_NOTIFIER_UFFD) {
            if (uffd_inv_finish(run, zap_errno) < 0) return -ECANCELED;
        } else if (G_LOAD(&run->events) > 0 && !(G_LOAD(&run->flags) & GPCRACE_ROUND_EAGAIN)) {
            event_end(run, zap_errno);
        }
    }
    if (invalidator_done(run) < 0) return -ECANCELED;
    if (sync_sleep_barrier_wait(&run->end, -1) < 0) return -ECANCELED;
    write_record(run);
    run->batch_done++;
    G_ADD(&run->progress, 1u);
    return 0;
}

static void *invalidator_main(void *arg)
{
    struct round_actor *a = arg;
    struct gpcrace_gpc_run *run = a->run;
    actor_start(run, 0);
    for (;;) {
        if (gpcrace_gpc_inv_begin(run) <= 0) break;
        if (run->mode == GPCRACE_BATCH_RACE && run->cfg.notifier == GPCRACE_NOTIFIER_UFFD) {
            if (gpcrace_gpc_inv_finish(run, invalidate_zap(run)) < 0) break;
            continue;
        }
        if (run->mode == GPCRACE_BATCH_RACE && run_events(run, 0) < 0) break;
        if (invalidator_done(run) < 0) break;
        if (sync_sleep_barrier_wait(&run->end, -1) < 0) break;
        write_record(run);
        run->batch_done++;
        G_ADD(&run->progress, 1u);
    }
    return NULL;
}

/* The second invalidator: its share of the events, overlapping the first's. */
static void *invalidator2_main(void *arg)
{
    struct round_actor *a = arg;
    struct gpcrace_gpc_run *run = a->run;
    actor_start(run, a->index);
    for (;;) {
        if (start_barrier(run, &run->inv2_sense) < 0) break;
        if (G_LOAD(&run->stop)) break;
        if (run->mode == GPCRACE_BATCH_RACE) {
            busy_ns(run->delay2_ns);
            if (run_events(run, 1) < 0) break;
        }
        if (invalidator_done(run) < 0) break;
        if (sync_sleep_barrier_wait(&run->end, -1) < 0) break;
    }
    return NULL;
}

/*
 * The storm: madvise(MADV_DONTNEED) of a range no memslot and no cache covers, each a
 * notifier start/end (mn_active_invalidate_count goes up and down; mmu_invalidate_seq does not
 * move: no memslot), with storm_gap_ns between two. It keeps the count non-zero, which
 * mainline's refresh takes as a reason to retry ("invalidations of any range in the process").
 */
static void *storm_main(void *arg)
{
    struct round_actor *a = arg;
    struct gpcrace_gpc_run *run = a->run;
    struct round_storm *s = &run->storm;
    actor_start(run, a->index);
    uint64_t lo = (uint64_t)(uintptr_t)s->base, hi = lo + s->len;
    while (!G_LOAD(&s->stop) && !G_LOAD(&run->abort)) {
        struct gpc_wait w = {.nonblock = 0, .policy = GPCRACE_WAIT_SLEEP};
        if (gpc_range_start(&run->gpc, lo, hi, 0, &w) < 0) break;
        madvise(s->base, s->len, MADV_DONTNEED);
        gpc_range_end(&run->gpc, lo, hi, 0, &w);
        G_ADD(&s->count, 1);
        if (run->cfg.storm_gap_ns > 0) busy_ns(run->cfg.storm_gap_ns);
        else if (run->shared) sched_yield();
    }
    return NULL;
}

static void *worker_main(void *arg)
{
    struct round_actor *a = arg;
    struct gpcrace_gpc_run *run = a->run;
    actor_start(run, a->index);
    gpc_defer_run(&run->gpc);
    return NULL;
}

/* ------------------------------------------------------------------ run lifecycle */

uint64_t gpcrace_gpc_round_bytes(uint32_t readers)
{
    return sizeof(struct gpcrace_gpc_round) + (uint64_t)readers * sizeof(struct gpcrace_gpc_reader_round);
}

static int config_error(char *err, uint64_t errlen, const char *msg)
{
    snprintf(err, errlen, "%s", msg);
    return -EINVAL;
}

static int validate(const struct gpcrace_gpc_config *cfg, char *err, uint64_t errlen)
{
    const struct gpc_ops *ops = gpc_protocol(cfg->protocol);
    if (!ops) return config_error(err, errlen, "unknown protocol index");
    if (cfg->readers < 1 || cfg->readers > GPCRACE_GPC_MAX_READERS)
        return config_error(err, errlen, "readers must be 1..64 (one 64-byte counter slot each in the page)");
    if (cfg->stride < 1) return config_error(err, errlen, "stride (accesses per reader per round) must be at least 1");
    if (cfg->pages < 1) return config_error(err, errlen, "pages per invalidation must be at least 1");
    if (cfg->lock_kind > GPCRACE_RWLOCK_SLEEPING) return config_error(err, errlen, "unknown lock kind");
    if (cfg->access > GPCRACE_ACCESS_COUNTER) return config_error(err, errlen, "unknown access kind");
    if (cfg->nonblock_policy > GPCRACE_WAIT_NOWAIT) return config_error(err, errlen, "unknown non-blockable policy");
    if (cfg->nonblock && cfg->nonblock_policy == GPCRACE_WAIT_NOWAIT && cfg->reader_mode != GPCRACE_READER_GUEST)
        return config_error(err, errlen, "non-blockable policy no-wait drops KVM_REQUEST_WAIT: it needs reader mode guest");
    if (cfg->refresh_mode > GPCRACE_REFRESH_WAIT) return config_error(err, errlen, "unknown refresh mode");
    if (cfg->reader_mode > GPCRACE_READER_GUEST) return config_error(err, errlen, "unknown reader mode");
    if (cfg->reader_mode == GPCRACE_READER_GUEST && cfg->readers > 32) return config_error(err, errlen, "guest mode supports up to 32 readers");
    if (cfg->invalidations < 1 || cfg->invalidations > GPCRACE_GPC_MAX_EVENTS)
        return config_error(err, errlen, "invalidations per round must be 1..3 (each can publish a generation; 4 are tallied)");
    if (cfg->invalidators < 1 || cfg->invalidators > 2 || cfg->invalidators > cfg->invalidations)
        return config_error(err, errlen, "invalidators must be 1 or 2, and no more than the invalidations per round");
    if (cfg->invalidators > 1 && (cfg->source == GPCRACE_SRC_REMAP || cfg->source == GPCRACE_SRC_COLLAPSE))
        return config_error(err, errlen, "two invalidators overlap their operations: remap and collapse cannot run twice at once on one range");
    if (cfg->storm_pages > STORM_MAX_PAGES) return config_error(err, errlen, "storm range too large (at most 1 GiB)");
    if (cfg->storm_gap_ns < 0) return config_error(err, errlen, "storm gap must be >= 0");
    if (cfg->delay_min_ns < 0 || cfg->delay_max_ns < cfg->delay_min_ns)
        return config_error(err, errlen, "delay range must satisfy 0 <= min <= max");
    if (cfg->watchdog_ns <= 0) return config_error(err, errlen, "watchdog must be positive");
    if (cfg->guest_base == 0 || cfg->guest_base % GPC_PAGE) return config_error(err, errlen, "guest_base must be page aligned");
    if (invalidate_len(cfg) > cfg->guest_bytes) return config_error(err, errlen, "the invalidated range exceeds the guest memory");
    if (ops->needs_memfd && cfg->memfd < 0)
        return config_error(err, errlen, "protocol pinned needs file-backed memory (--backing shmem or hugetlb) for its alias");
    if ((ops->uffd_order != GPC_UFFD_NONE) != (cfg->notifier == GPCRACE_NOTIFIER_UFFD))
        return config_error(err, errlen, "the uffd-* protocols, and only they, use the userfaultfd notifier");
    if (cfg->notifier == GPCRACE_NOTIFIER_UFFD &&
        (cfg->nonblock || cfg->invalidations > 1 || cfg->unmap_every || cfg->reader_mode != GPCRACE_READER_HOST || cfg->preempt_rt))
        return config_error(err, errlen, "the userfaultfd notifier runs one blocking invalidation per round, host readers, no unmap rounds, no PREEMPT_RT locks");
    if (cfg->invalidator == GPCRACE_INVALIDATOR_JAVA && (cfg->invalidations > 1 || cfg->unmap_every))
        return config_error(err, errlen, "the Java invalidator performs one invalidation per round and no unmap rounds");
    for (uint32_t a = 0; a < GPCRACE_GPC_MAX_ACTORS; a++)
        if (cfg->cpus[a] >= CPU_SETSIZE) return config_error(err, errlen, "CPU number out of range");
    return invalidate_source_valid(cfg, err, errlen);
}

static void release(struct gpcrace_gpc_run *run)
{
    if (run->guarded) segv_guard_remove();
    uffd_notifier_close(run);
    gpc_guest_fini(&run->gpc);
    if (run->storm.base) munmap(run->storm.base, run->storm.len);
    if (run->hview) munmap(run->hview, run->hview_len);
    gpc_fini(&run->gpc);
    free(run);
}

int gpcrace_gpc_create(const struct gpcrace_gpc_config *cfg, struct gpcrace_gpc_run **out, char *err, uint64_t errlen)
{
    *out = NULL;
    if (errlen) err[0] = '\0';
    int r = validate(cfg, err, errlen);
    if (r < 0) return r;
    struct gpcrace_gpc_run *run;
    if (posix_memalign((void **)&run, 64, sizeof(*run)) != 0) {
        snprintf(err, errlen, "out of memory for the run state");
        return -ENOMEM;
    }
    memset(run, 0, sizeof(*run));
    run->cfg = *cfg;
    run->ops = gpc_protocol(cfg->protocol);
    run->inv_len = invalidate_len(cfg);
    run->preserves = gpcrace_gpc_source_preserves_content((int)cfg->source, (int)cfg->backing);
    run->rng = cfg->seed ? cfg->seed : 0x9E3779B97F4A7C15ULL;
    run->uffd.fd = -1;
    run->uffd.wake_fd = -1;
    run->parties = cfg->readers + cfg->invalidators;
    for (int a = 0; a < GPCRACE_GPC_MAX_ACTORS; a++) run->actor_cpu[a] = -1;
    run->shared = !distinct_cpus(cfg);

    int file = cfg->memfd >= 0 && (cfg->backing == GPCRACE_BACKING_SHMEM || cfg->backing == GPCRACE_BACKING_HUGETLB);
    uint64_t alias_len = cfg->backing == GPCRACE_BACKING_HUGETLB ? (2ull << 20) : GPC_PAGE;
    /* gpc->lock: the configured rwlock kind for the rwlock protocols, the seqlock's spinlock_t for
     * the others; under PREEMPT_RT every one of them sleeps */
    uint32_t kind = cfg->preempt_rt ? GPCRACE_RWLOCK_SLEEPING
                  : run->ops->write_lock == gpc_rwlock_write_lock ? cfg->lock_kind : GPCRACE_RWLOCK_SPIN;
    struct gpc_init_args a = {.uhva = cfg->guest_base, .len = run->inv_len, .lock_kind = kind, .nreaders = cfg->readers,
                              .retry_bound = cfg->refresh_retry_bound, .refresh_mode = cfg->refresh_mode,
                              .preempt_rt = (int)cfg->preempt_rt, .memfd = file ? cfg->memfd : -1, .alias_len = alias_len,
                              .memfd_offset = &run->memfd_offset, .abort = &run->abort};
    r = gpc_init(&run->gpc, run->ops, &a);
    if (r < 0) {
        snprintf(err, errlen, "reserving the khva slots: %s", strerror(-r));
        gpc_fini(&run->gpc);
        free(run);
        return r;
    }
    run->gpc.yield_on_retry = run->shared;
    if (file) {
        run->hview_len = cfg->guest_bytes;
        void *p = mmap(NULL, run->hview_len, PROT_READ | PROT_WRITE, MAP_SHARED, cfg->memfd, 0);
        if (p == MAP_FAILED) {
            r = -errno;
            snprintf(err, errlen, "mapping the harness's view of the memfd: %s", strerror(errno));
            release(run);
            return r;
        }
        run->hview = p;
    }
    if (cfg->storm_pages) {
        run->storm.len = (uint64_t)cfg->storm_pages * GPC_PAGE;
        void *p = mmap(NULL, run->storm.len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) {
            r = -errno;
            snprintf(err, errlen, "mapping the storm range: %s", strerror(errno));
            release(run);
            return r;
        }
        run->storm.base = p;
    }
    if (cfg->reader_mode == GPCRACE_READER_GUEST && (r = gpc_guest_init(&run->gpc, cfg->readers)) < 0) {
        snprintf(err, errlen, "guest mode: installing the kick signal handler: %s", strerror(-r));
        release(run);
        return r;
    }
    if (cfg->notifier == GPCRACE_NOTIFIER_UFFD && (r = uffd_notifier_open(run, err, errlen)) < 0) {
        release(run);
        return r;
    }
    uint64_t lo = 0, hi = 0;
    if (cfg->source == GPCRACE_SRC_MPROTECT) {
        lo = cfg->guest_base;
        hi = cfg->guest_base + run->inv_len;
    }
    uint64_t slo = (uint64_t)(uintptr_t)gpc_khva_area_base(&run->gpc), shi = slo + gpc_khva_area_len(&run->gpc);
    if (lo != hi || slo != shi) {
        if ((r = segv_guard_install(lo, hi, &run->prot_none, &run->abort, slo, shi)) < 0) {
            snprintf(err, errlen, "the SIGSEGV guard is in use by another run (mprotect source or khva views)");
            release(run);
            return r;
        }
        run->guarded = 1;
    }
    *out = run;
    return 0;
}

int gpcrace_gpc_arm_batch(struct gpcrace_gpc_run *run, uint64_t rounds, void *buf, int mode)
{
    if (run->hung || G_LOAD(&run->abort) || !buf || rounds == 0) return -EINVAL;
    if (mode != GPCRACE_BATCH_RACE && mode != GPCRACE_BATCH_CALIBRATE) return -EINVAL;
    run->buf = buf;
    run->batch_rounds = rounds;
    run->batch_done = 0;
    run->mode = mode;
    if (mode == GPCRACE_BATCH_RACE && !run->raced) { /* rounds and elapsed time count race rounds only */
        run->raced = 1;
        run->rounds_total = 0;
        run->t0_ns = 0;
    }
    G_STORE(&run->stop, 0u);
    G_STORE(&run->storm.stop, 0u);
    G_STORE(&run->gpc.defer.stop, 0u);
    sync_spin_barrier_init(&run->start, run->parties, &run->abort);
    sync_sleep_barrier_init(&run->start_shared, run->parties, &run->abort);
    sync_sleep_barrier_init(&run->end, run->parties, &run->abort);
    run->inv_sense = 0;
    run->inv2_sense = 0;
    for (uint32_t r = 0; r < run->cfg.readers; r++) run->readers[r].sense = 0;
    return 0;
}

static int spawn(struct gpcrace_gpc_run *run, int actor, void *(*fn)(void *))
{
    run->actors[actor].run = run;
    run->actors[actor].index = actor;
    int e = pthread_create(&run->threads[run->nthreads], NULL, fn, &run->actors[actor]);
    if (e) return e;
    run->nthreads++;
    return 0;
}

/* The watchdog: returns 1 when no round completed for watchdog_ns. */
static int watch(struct gpcrace_gpc_run *run)
{
    uint32_t seen = G_LOAD(&run->progress);
    int64_t last = mono_ns();
    for (;;) {
        if (G_LOAD(&run->stop) || G_LOAD(&run->abort)) return 0;
        int64_t tick = run->cfg.watchdog_ns < WATCHDOG_TICK_NS ? run->cfg.watchdog_ns : WATCHDOG_TICK_NS;
        sync_futex_wait(&run->progress, seen, tick);
        uint32_t p = G_LOAD(&run->progress);
        if (p != seen) {
            seen = p;
            last = mono_ns();
        } else if (mono_ns() - last >= run->cfg.watchdog_ns && !G_LOAD(&run->stop)) {
            G_STORE(&run->abort, 1u);
            return 1;
        }
    }
}

int gpcrace_gpc_run_batch(struct gpcrace_gpc_run *run)
{
    if (run->hung || !run->buf) return -EINVAL;
    const struct gpcrace_gpc_config *cfg = &run->cfg;
    run->nthreads = 0;
    int e = 0;
    int defer = cfg->nonblock && cfg->nonblock_policy == GPCRACE_WAIT_DEFER;
    int worker = -1, storm = -1, monitor = -1;
    if (defer) {
        worker = run->nthreads;
        e = spawn(run, round_slot_worker(run), worker_main);
    }
    if (!e && cfg->storm_pages) {
        storm = run->nthreads;
        e = spawn(run, round_slot_storm(run), storm_main);
    }
    for (int a = 1; a <= (int)cfg->readers && !e; a++) e = spawn(run, a, reader_main);
    if (!e && cfg->invalidator == GPCRACE_INVALIDATOR_NATIVE) e = spawn(run, 0, invalidator_main);
    if (!e && cfg->invalidators > 1) e = spawn(run, round_slot_inv2(run), invalidator2_main);
    if (!e && cfg->notifier == GPCRACE_NOTIFIER_UFFD) {
        monitor = run->nthreads;
        e = spawn(run, round_slot_monitor(run), uffd_monitor_main);
    }
    int hung = 0;
    if (e) round_fail(run, e, "pthread_create");
    else hung = watch(run);
    if (monitor >= 0) {
        uffd_notifier_stop(run);
        pthread_join(run->threads[monitor], NULL);
        if (hung) uffd_notifier_close(run); /* releases a madvise blocked on an unread event */
    }
    for (int t = 0; t < run->nthreads; t++)
        if (t != monitor && t != worker && t != storm) pthread_join(run->threads[t], NULL);
    if (storm >= 0) {
        G_STORE(&run->storm.stop, 1u);
        pthread_join(run->threads[storm], NULL);
    }
    if (worker >= 0) {
        gpc_defer_stop(&run->gpc);
        pthread_join(run->threads[worker], NULL);
    }
    run->nthreads = 0;
    if (hung) {
        run->hung = 1;
        return GPCRACE_GPC_HUNG;
    }
    if (run->error) return -run->error;
    if (G_LOAD(&run->abort)) return -ECANCELED;
    return GPCRACE_GPC_DONE;
}

int gpcrace_gpc_set_delay_range(struct gpcrace_gpc_run *run, int64_t min_ns, int64_t max_ns)
{
    if (min_ns < 0 || max_ns < min_ns) return -EINVAL;
    run->cfg.delay_min_ns = min_ns;
    run->cfg.delay_max_ns = max_ns;
    return 0;
}

uint64_t gpcrace_gpc_batch_done(const struct gpcrace_gpc_run *run) { return run->batch_done; }

int gpcrace_gpc_actor_cpu(const struct gpcrace_gpc_run *run, int actor)
{
    return actor >= 0 && actor < GPCRACE_GPC_MAX_ACTORS ? run->actor_cpu[actor] : -1;
}

const char *gpcrace_gpc_last_error(const struct gpcrace_gpc_run *run) { return run->errmsg; }

void gpcrace_gpc_abort(struct gpcrace_gpc_run *run)
{
    G_STORE(&run->abort, 1u);
    sync_futex_wake(&run->progress, 1);
}

void gpcrace_gpc_destroy(struct gpcrace_gpc_run *run)
{
    if (!run) return;
    release(run);
}
