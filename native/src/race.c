/*
 * race.c - the round runner. Each round: every actor leaves a spin
 * barrier together; the invalidator waits its start delay, runs the notifier start, takes the
 * snapshot S_r of every reader's in-page counter, performs the kernel operation, resets the
 * counters if the page kept its content, runs the notifier end; each reader performs K
 * accesses through the cache (refreshing when it finds it invalid), tallying the generation
 * it used. At the sleeping end barrier the invalidator, as arbiter, writes the round's raw
 * numbers (S_r, T_r[g_inv], T_r[g_inv+1], C_r ...) for Java to judge.
 *
 * The calling thread is the watchdog: a batch that makes no progress for watchdog_ns is a
 * hang; it sets the abort word, every wait returns, the actors are joined.
 *
 * The runner drives the rounds; the round's state and the steps the notifiers share live in
 * round.c, the kernel operations in invalidate.c, the userfaultfd notifier in uffd_notifier.c.
 * Where a step mirrors KVM, the kernel function is named beside it (virt/kvm/kvm_main.c,
 * virt/kvm/pfncache.c, arch/x86/kvm/x86.c).
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
#include <sys/syscall.h>
#include <unistd.h>

#define WATCHDOG_TICK_NS 100000000LL

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

/* Every reader and the invalidator pinned, each on a CPU no other of them uses. */
static int distinct_cpus(const struct gpcrace_gpc_config *cfg)
{
    for (uint32_t a = 0; a <= cfg->readers; a++) {
        if (cfg->cpus[a] < 0) return 0;
        for (uint32_t b = 0; b < a; b++)
            if (cfg->cpus[b] == cfg->cpus[a]) return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------ readers */

/* One access through khva: the oracle's counter, then a pvclock-like versioned write (as
 * kvm_setup_guest_pvclock, arch/x86/kvm/x86.c: version odd, the fields, version even). */
static inline void do_access(const struct gpcrace_gpc_config *cfg, uint8_t *khva, int reader)
{
    struct round_slot *s = round_slot(khva, reader);
    uint64_t c = __atomic_add_fetch(&s->counter, 1, __ATOMIC_RELAXED);
    if (cfg->access == GPCRACE_ACCESS_PVCLOCK) {
        uint32_t v = G_LOAD_RLX(&s->version);
        G_STORE_RLX(&s->version, v + 1u);
        __atomic_thread_fence(__ATOMIC_RELEASE);
        G_STORE_RLX(&s->tsc_timestamp, tsc_now());
        G_STORE_RLX(&s->system_time, c);
        G_STORE_RLX(&s->tsc_to_system_mul, 0x80000000u);
        __atomic_thread_fence(__ATOMIC_RELEASE);
        G_STORE_RLX(&s->version, v + 2u);
    }
    busy_ns(cfg->access_ns);
}

/* Test hook: reader 0 stalls inside its read section until the watchdog aborts the run. */
static void stall_until_abort(struct gpcrace_gpc_run *run)
{
    while (!G_LOAD(&run->abort)) sync_futex_wait(&run->abort, 0, SYNC_RECHECK_NS);
}

/*
 * One reader's round. Each access is a GPC user's loop (kvm_setup_guest_pvclock):
 *   read_lock; while (!kvm_gpc_check()) { read_unlock; kvm_gpc_refresh(); read_lock; }
 *   access through khva; read_unlock
 * with the protocol's read side in place of read_lock and read_unlock.
 */
static int reader_round(struct gpcrace_gpc_run *run, int r)
{
    struct round_reader *rd = &run->readers[r];
    struct gpc *g = &run->gpc;
    const struct gpc_ops *ops = run->ops;
    const struct gpcrace_gpc_config *cfg = &run->cfg;
    uint64_t g_inv = run->g_inv;
    uint64_t tally[3] = {0, 0, 0};
    int stall = cfg->inject_hang_round && r == 0 && run->mode == GPCRACE_BATCH_RACE &&
                run->rounds_total + 1 == cfg->inject_hang_round;
    memset(&rd->stats, 0, sizeof(rd->stats));
    int64_t t0 = mono_ns();
    /* K accesses, and on until one access starts after the invalidation ended, so every round
     * exercises the path after the invalidation (refresh, or the stale use of an unsafe variant) */
    for (uint32_t k = 0;; k++) {
        uint32_t done = G_LOAD_ACQ(&run->inv_done);
        struct gpc_view v;
        for (;;) {
            G_STORE_RLX(&rd->inside, 1u);
            if (ops->read_begin(g, r, &v) < 0) return -ECANCELED;
            if (stall && k == cfg->stride / 2) {
                stall_until_abort(run);
                ops->read_end(g, r, &v);
                return -ECANCELED;
            }
            if (ops->check(g, &v)) break;
            ops->read_end(g, r, &v);
            G_STORE_RLX(&rd->inside, 0u);
            int e = gpc_refresh(g, ops, &rd->stats);
            if (e < 0) {
                if (e != -ECANCELED) round_fail(run, -e, "reader refresh: fault-in of the guest page");
                return -ECANCELED;
            }
        }
        do_access(cfg, v.khva, r);
        ops->read_end(g, r, &v);
        G_STORE_RLX(&rd->inside, 0u);
        uint64_t d = v.gen - g_inv;
        tally[d == 0 ? 0 : d == 1 ? 1 : 2]++;
        if (k + 1 == cfg->stride) rd->loop_ns = (uint64_t)(mono_ns() - t0);
        if (k + 1 >= cfg->stride && done) break;
        if (k + 1 >= cfg->stride && run->shared) sched_yield(); /* let the invalidator finish */
    }
    memcpy(rd->tally, tally, sizeof(tally));
    return 0;
}

static void *reader_main(void *arg)
{
    struct round_actor *a = arg;
    struct gpcrace_gpc_run *run = a->run;
    int r = a->index - 1;
    struct round_reader *rd = &run->readers[r];
    round_pin_self(run->cfg.cpus[a->index]);
    rd->tid = (pid_t)syscall(SYS_gettid);
    run->actor_cpu[a->index] = sched_getcpu();
    for (;;) {
        if (start_barrier(run, &rd->sense) < 0) break;
        if (G_LOAD(&run->stop)) break;
        if (reader_round(run, r) < 0) break;
        if (sync_sleep_barrier_wait(&run->end, -1) < 0) break;
    }
    return NULL;
}

/* ------------------------------------------------------------------ invalidator steps */

/* Before the start barrier: a fresh round state, the source prepared, the cache valid
 * (kvm_gpc_refresh), the counters zeroed, this round's start delay drawn. */
static int prepare_round(struct gpcrace_gpc_run *run)
{
    struct gpc *g = &run->gpc;
    const struct gpcrace_gpc_config *cfg = &run->cfg;
    G_STORE(&run->flags, 0u);
    G_STORE(&run->inv_done, 0u);
    run->would_sleep = 0;
    run->readers_inside = 0;
    run->zap_errno = 0;
    run->inv_ns = 0;
    if (run->mode == GPCRACE_BATCH_RACE) {
        int e = invalidate_prepare(run);
        if (e) {
            round_fail(run, e, "round setup: preparing the source");
            return -ECANCELED;
        }
    }
    struct gpc_refresh_stats st = {0};
    int r = gpc_refresh(g, run->ops, &st); /* the cache is valid when the round starts */
    if (r < 0) {
        if (r != -ECANCELED) round_fail(run, -r, "round setup: refresh of the guest page");
        return -ECANCELED;
    }
    run->g_inv = G_LOAD(&g->generation);
    run->khva_inv = G_LOAD(&g->khva);
    run->pfn_before = G_LOAD(&g->pfn);
    uint8_t *uhva = (uint8_t *)(uintptr_t)cfg->guest_base;
    round_reset_counters(run, run->khva_inv);
    if (run->khva_inv != uhva) round_reset_counters(run, uhva);
    memset(run->snapshot, 0, sizeof(run->snapshot));
    uint64_t span = (uint64_t)(cfg->delay_max_ns - cfg->delay_min_ns) + 1u;
    run->delay_ns = cfg->delay_min_ns + (int64_t)(rng_next(&run->rng) % span);
    G_STORE(&run->uffd.madvise_done, 0u);
    G_STORE(&run->uffd.end_done, 0u);
    return 0;
}

int gpcrace_gpc_inv_begin(struct gpcrace_gpc_run *run)
{
    if (G_LOAD(&run->abort)) return -ECANCELED;
    if (run->batch_done >= run->batch_rounds) {
        G_STORE(&run->stop, 1u); /* the readers see it after this last barrier and leave */
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

/*
 * kvm_mmu_notifier_invalidate_range_start (virt/kvm/kvm_main.c): mn_active_invalidate_count++
 * (gpc_notifier_start), then gfn_to_pfn_cache_invalidate_start (virt/kvm/pfncache.c) as the
 * protocol's invalidate_start, under the policy of a non-blockable range when asked for; then
 * the snapshot S_r the oracle compares against.
 */
int gpcrace_gpc_inv_notify_start(struct gpcrace_gpc_run *run)
{
    if (run->mode == GPCRACE_BATCH_CALIBRATE) return 1;
    if (G_LOAD(&run->abort)) return -ECANCELED;
    if (run->cfg.notifier == GPCRACE_NOTIFIER_UFFD) return 0; /* a plain madvise: the monitor reacts */
    struct gpc *g = &run->gpc;
    run->readers_inside = round_readers_inside(run);
    run->inv_t0_ns = mono_ns();
    gpc_notifier_start(g);
    uint32_t ws = 0;
    int policy = run->cfg.nonblock ? (int)run->cfg.nonblock_policy : GPCRACE_WAIT_SLEEP;
    int r = run->ops->invalidate_start(g, policy, &ws);
    if (run->cfg.nonblock) run->would_sleep = ws;
    if (r == -ECANCELED) return r;
    if (r == -EAGAIN) { /* the OOM reaper skips this range: no zap */
        round_flag(run, GPCRACE_ROUND_EAGAIN);
        gpc_notifier_end(g);
        run->inv_ns = mono_ns() - run->inv_t0_ns;
        return 1;
    }
    round_take_snapshot(run); /* from here on no reader may touch the old frame */
    round_flag(run, GPCRACE_ROUND_INVALIDATED);
    return 0;
}

static void write_record(struct gpcrace_gpc_run *run)
{
    const struct gpcrace_gpc_config *cfg = &run->cfg;
    uint64_t stride = gpcrace_gpc_round_bytes(cfg->readers);
    struct gpcrace_gpc_round *rec = (struct gpcrace_gpc_round *)(run->buf + run->batch_done * stride);
    struct gpcrace_gpc_reader_round *rr = (struct gpcrace_gpc_reader_round *)(rec + 1);
    uint8_t *uhva = (uint8_t *)(uintptr_t)cfg->guest_base;
    uint32_t flags = G_LOAD(&run->flags);
    uint32_t refreshes = 0, retries = 0, livelock = 0;
    /* the frame first: reading the counters of an unmapped page would map one */
    rec->pfn_after = gpc_pagemap_pfn(run->gpc.pagemap_fd, uhva);
    for (uint32_t r = 0; r < cfg->readers; r++) {
        struct round_reader *rd = &run->readers[r];
        rr[r].snapshot = (flags & GPCRACE_ROUND_INVALIDATED) ? run->snapshot[r] : 0;
        rr[r].tally_inv = rd->tally[0];
        rr[r].tally_next = rd->tally[1];
        rr[r].tally_other = rd->tally[2];
        rr[r].counter_new = G_LOAD(&round_slot(uhva, (int)r)->counter);
        rr[r].loop_ns = rd->loop_ns;
        refreshes += rd->stats.refreshes;
        retries += rd->stats.retries;
        livelock |= rd->stats.livelock;
    }
    rec->round = ++run->rounds_total;
    rec->elapsed_ns = (uint64_t)(mono_ns() - run->t0_ns);
    rec->delay_ns = run->delay_ns;
    rec->generation = run->g_inv;
    rec->pfn_before = run->pfn_before;
    rec->inv_ns = (uint64_t)run->inv_ns;
    rec->flags = flags | (livelock ? GPCRACE_ROUND_LIVELOCK : 0);
    rec->would_sleep = run->would_sleep;
    rec->readers_inside = run->readers_inside;
    rec->refreshes = refreshes;
    rec->refresh_retries = retries;
    rec->zap_errno = run->zap_errno;
}

/*
 * After the kernel operation: kvm_mmu_notifier_invalidate_range_end (virt/kvm/kvm_main.c:
 * mmu_invalidate_seq++, count--, gpc_notifier_end) once the harness has reset the counters
 * of a page that kept its content; the userfaultfd monitor does the same on its side. Then the
 * end barrier and the round's record.
 */
int gpcrace_gpc_inv_finish(struct gpcrace_gpc_run *run, int zap_errno)
{
    if (run->mode == GPCRACE_BATCH_RACE) {
        if (run->cfg.notifier == GPCRACE_NOTIFIER_UFFD) {
            if (uffd_inv_finish(run, zap_errno) < 0) return -ECANCELED;
        } else if (G_LOAD(&run->flags) & GPCRACE_ROUND_INVALIDATED) {
            run->zap_errno = zap_errno;
            if (zap_errno == 0) round_flag(run, GPCRACE_ROUND_ZAPPED);
            /* the new owner's first write; a failed zap left the old content too */
            if (run->preserves || zap_errno) {
                round_reset_counters(run, (uint8_t *)(uintptr_t)run->cfg.guest_base);
                round_flag(run, GPCRACE_ROUND_RESET);
            }
            gpc_notifier_end(&run->gpc);
            run->inv_ns = mono_ns() - run->inv_t0_ns;
        }
    }
    G_STORE_REL(&run->inv_done, 1u);
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
    round_pin_self(run->cfg.cpus[0]);
    run->actor_cpu[0] = sched_getcpu();
    for (;;) {
        if (gpcrace_gpc_inv_begin(run) <= 0) break;
        int r = gpcrace_gpc_inv_notify_start(run);
        if (r < 0) break;
        int e = r == 0 ? invalidate_zap(run) : 0;
        if (gpcrace_gpc_inv_finish(run, e) < 0) break;
    }
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
    if (cfg->nonblock_policy > GPCRACE_WAIT_NONE) return config_error(err, errlen, "unknown non-blockable policy");
    if (cfg->delay_min_ns < 0 || cfg->delay_max_ns < cfg->delay_min_ns)
        return config_error(err, errlen, "delay range must satisfy 0 <= min <= max");
    if (cfg->watchdog_ns <= 0) return config_error(err, errlen, "watchdog must be positive");
    if (cfg->guest_base == 0 || cfg->guest_base % GPC_PAGE) return config_error(err, errlen, "guest_base must be page aligned");
    if (invalidate_len(cfg) > cfg->guest_bytes) return config_error(err, errlen, "the invalidated range exceeds the guest memory");
    if (ops->needs_memfd && cfg->memfd < 0)
        return config_error(err, errlen, "protocol pinned needs file-backed memory (--backing shmem or hugetlb) for its alias");
    if ((ops->uffd_order != GPC_UFFD_NONE) != (cfg->notifier == GPCRACE_NOTIFIER_UFFD))
        return config_error(err, errlen, "the uffd-* protocols, and only they, use the userfaultfd notifier");
    if (cfg->nonblock && cfg->notifier == GPCRACE_NOTIFIER_UFFD)
        return config_error(err, errlen, "non-blockable mode applies to the hook notifier, not to userfaultfd");
    for (uint32_t a = 0; a < GPCRACE_GPC_MAX_ACTORS; a++)
        if (cfg->cpus[a] >= CPU_SETSIZE) return config_error(err, errlen, "CPU number out of range");
    return invalidate_source_valid(cfg, err, errlen);
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
    for (int a = 0; a < GPCRACE_GPC_MAX_ACTORS; a++) run->actor_cpu[a] = -1;
    gpc_init(&run->gpc, cfg->guest_base, cfg->lock_kind, cfg->readers, cfg->refresh_retry_bound, &run->abort);
    run->shared = !distinct_cpus(cfg);
    if (run->shared) run->gpc.refresh_spin_ns = 0;
    run->gpc.memfd = cfg->memfd;
    run->gpc.memfd_offset = &run->memfd_offset;
    run->gpc.alias_len = cfg->backing == GPCRACE_BACKING_HUGETLB ? (2u << 20) : GPC_PAGE;
    if (cfg->notifier == GPCRACE_NOTIFIER_UFFD && (r = uffd_notifier_open(run, err, errlen)) < 0) {
        gpc_fini(&run->gpc);
        free(run);
        return r;
    }
    if (cfg->source == GPCRACE_SRC_MPROTECT &&
        (r = segv_guard_install(cfg->guest_base, cfg->guest_base + run->inv_len, &run->prot_none, &run->abort)) < 0) {
        snprintf(err, errlen, "mprotect source: another run already guards SIGSEGV for its range");
        uffd_notifier_close(run);
        gpc_fini(&run->gpc);
        free(run);
        return r;
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
    sync_spin_barrier_init(&run->start, run->cfg.readers + 1, &run->abort);
    sync_sleep_barrier_init(&run->start_shared, run->cfg.readers + 1, &run->abort);
    sync_sleep_barrier_init(&run->end, run->cfg.readers + 1, &run->abort);
    run->inv_sense = 0;
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
    int monitor = (int)cfg->readers + 1;
    run->nthreads = 0;
    int e = 0;
    for (int a = 1; a <= (int)cfg->readers && !e; a++) e = spawn(run, a, reader_main);
    if (!e && cfg->invalidator == GPCRACE_INVALIDATOR_NATIVE) e = spawn(run, 0, invalidator_main);
    int monitor_thread = -1;
    if (!e && cfg->notifier == GPCRACE_NOTIFIER_UFFD) {
        monitor_thread = run->nthreads;
        e = spawn(run, monitor, uffd_monitor_main);
    }
    int hung = 0;
    if (e) round_fail(run, e, "pthread_create");
    else hung = watch(run);
    if (monitor_thread >= 0) {
        uffd_notifier_stop(run);
        pthread_join(run->threads[monitor_thread], NULL);
        if (hung) uffd_notifier_close(run); /* releases a madvise blocked on an unread event */
    }
    for (int t = 0; t < run->nthreads; t++)
        if (t != monitor_thread) pthread_join(run->threads[t], NULL);
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
    if (run->cfg.source == GPCRACE_SRC_MPROTECT) segv_guard_remove();
    uffd_notifier_close(run);
    gpc_fini(&run->gpc);
    free(run);
}
