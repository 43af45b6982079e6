/*
 * fault_reader_actors.c - the readers, the migrator and the reclaimer of fault-in-reader.
 *
 * The migrator mirrors the kernel's migrate_pages_batch(), one batch at a time:
 *   unmap phase  (migrate_folio_unmap -> try_to_migrate): every page of the batch loses its PTE,
 *                the old frame parked in its holder page (UFFDIO_MOVE) or, on kernels without
 *                it, copied there and zapped (MADV_DONTNEED); a reader touching it now faults;
 *   move phase   (migrate_folio_move -> folio_migrate_copy + remove_migration_ptes): per page,
 *                UFFDIO_COPY allocates the new frame, copies the content, maps it and wakes the
 *                faulting readers; then a grace period (synchronize_rcu) before the old frame is
 *                freed (MADV_DONTNEED of the holder).
 * Readers loop: read_lock, touch every page of the batch (word 0 must be the page's tag),
 * read_unlock.
 */
#define _GNU_SOURCE
#include "fault_reader.h"
#include "clock.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define LOAD(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
#define ADD(p, v) __atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)

void fr_pin(int cpu)
{
    if (cpu < 0) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

void fr_sample(struct fr_run *r, int series, int64_t ns)
{
    int64_t i = __atomic_fetch_add(&r->out->counts[series], 1, __ATOMIC_SEQ_CST);
    if (i < r->cfg.sample_cap) r->samples[series * r->cfg.sample_cap + i] = ns;
}

void fr_flag(struct fr_run *r, uint32_t flag)
{
    int64_t b = LOAD(&r->batch);
    if (b >= 0 && b < r->cfg.batches) __atomic_or_fetch(&r->batch_flags[b], flag, __ATOMIC_SEQ_CST);
}

void fr_fail(struct fr_run *r, int err, const char *what)
{
    if (__atomic_exchange_n(&r->fail_once, 1u, __ATOMIC_SEQ_CST) == 0) {
        r->out->err = err;
        snprintf(r->out->error, sizeof(r->out->error), "%s: %s", what, strerror(err));
    }
    STORE(&r->abort, 1u);
}

static int stopping(struct fr_run *r) { return LOAD(&r->abort) || LOAD(&r->done); }

/* ------------------------------------------------------------------ the reader */

static int reader_lock(struct fr_run *r, struct fr_reader *rd)
{
    /* SRCU_DOMAIN's readers of migratable pages are in the separate domain only */
    return r->cfg.variant == GPCRACE_FR_SRCU_DOMAIN ? sync_srcu_read_lock(r->domain, (int)rd->index)
                                                    : r->rcu.read_lock((int)rd->index);
}

static void reader_unlock(struct fr_run *r, struct fr_reader *rd, int idx)
{
    if (r->cfg.variant == GPCRACE_FR_SRCU_DOMAIN) sync_srcu_read_unlock(r->domain, (int)rd->index, idx);
    else r->rcu.read_unlock((int)rd->index, idx);
}

/* WAIT_OUTSIDE, after SIGBUS: outside the read-side section, wait until the page is mapped
 * (migration_entry_wait, here a futex on the page's map count). */
static void wait_outside(struct fr_run *r, struct fr_reader *rd, int j)
{
    struct fr_page *p = &r->pages[j];
    while (!LOAD(&p->present) && !LOAD(&r->abort)) {
        uint32_t g = LOAD(&p->gen);
        if (LOAD(&p->present)) break;
        sync_futex_wait(&p->gen, g, 10000000LL);
    }
    fr_sample(r, GPCRACE_FR_S_FAULT, mono_ns() - rd->access_ns);
}

/* One read-side section over every page. 0 done, 1 left to wait outside (WAIT_OUTSIDE). */
static int read_section(struct fr_run *r, struct fr_reader *rd)
{
    uint32_t pages = r->cfg.pages;
    volatile int idx = reader_lock(r, rd);
    rd->cs_enter_ns = mono_ns();
    STORE(&rd->in_cs, 1u);
    if (r->cfg.variant == GPCRACE_FR_WAIT_OUTSIDE) {
        if (sigsetjmp(rd->jb, 0)) {
            /* the access took SIGBUS instead of waiting: leave the section, then wait */
            int j = LOAD(&rd->access_page);
            STORE(&rd->access_page, -1);
            STORE(&rd->in_cs, 0u);
            reader_unlock(r, rd, idx);
            rd->sigbus++;
            wait_outside(r, rd, j);
            return 1;
        }
        STORE(&rd->armed, 1u);
    }
    int64_t corrupt = 0;
    for (uint32_t j = 0; j < pages; j++) {
        int missing = !LOAD(&r->pages[j].present);
        STORE(&rd->fault_event_page, -1);
        rd->access_ns = mono_ns();
        STORE(&rd->access_page, (int32_t)j);
        uint64_t v = *(volatile uint64_t *)(r->region + j * FR_PAGE); /* may fault and wait in the kernel */
        int64_t t1 = mono_ns();
        STORE(&rd->access_page, -1);
        if (v != FR_TAG(j)) corrupt++;
        if (missing) fr_sample(r, GPCRACE_FR_S_FAULT, t1 - rd->access_ns);
    }
    STORE(&rd->armed, 0u);
    STORE(&rd->in_cs, 0u);
    reader_unlock(r, rd, idx);
    rd->sections++;
    if (corrupt) {
        rd->corrupt += corrupt;
        fr_flag(r, GPCRACE_FR_CORRUPT);
    }
    return 0;
}

void *fr_reader_main(void *arg)
{
    struct fr_reader *rd = arg;
    struct fr_run *r = rd->run;
    fr_pin(rd->cpu);
    STORE(&rd->tid, (int32_t)gettid());
    int global = r->cfg.variant != GPCRACE_FR_SRCU_DOMAIN;
    if (global) r->rcu.register_thread();
    ADD(&r->readers_ready, 1u);
    while (!stopping(r)) rd->retries += read_section(r, rd);
    if (global) r->rcu.unregister_thread();
    return NULL;
}

/* ------------------------------------------------------------------ pages */

static char *page_at(struct fr_run *r, int i) { return r->region + (uint64_t)i * FR_PAGE; }
static char *holder_at(struct fr_run *r, int i) { return r->holder + (uint64_t)i * FR_PAGE; }

/* migrate_folio_unmap: the PTE goes, the old frame waits in its holder page. */
static int unmap_page(struct fr_run *r, int i)
{
    r->pages[i].unmapped_ns = mono_ns();
    int rc;
    if (r->use_move) {
        struct uffdio_move m = {.dst = (uint64_t)(uintptr_t)holder_at(r, i), .src = (uint64_t)(uintptr_t)page_at(r, i),
                                .len = FR_PAGE, .mode = 0};
        rc = ioctl(r->uffd, UFFDIO_MOVE, &m) == 0 ? 0 : -errno;
    } else {
        memcpy(holder_at(r, i), page_at(r, i), FR_PAGE);
        rc = madvise(page_at(r, i), FR_PAGE, MADV_DONTNEED) == 0 ? 0 : -errno;
    }
    /* only now: a reader that sees the page absent really faults (unless it is mapped meanwhile) */
    STORE(&r->pages[i].present, 0u);
    return rc;
}

int fr_complete_page(struct fr_run *r, int i)
{
    pthread_mutex_lock(&r->lock);
    int rc = 0;
    if (!LOAD(&r->pages[i].present)) {
        struct uffdio_copy c = {.dst = (uint64_t)(uintptr_t)page_at(r, i), .src = (uint64_t)(uintptr_t)holder_at(r, i),
                                .len = FR_PAGE, .mode = 0};
        for (;;) {
            if (ioctl(r->uffd, UFFDIO_COPY, &c) == 0 || errno == EEXIST) { rc = 1; break; }
            if (errno != EAGAIN) { rc = -errno; break; }  /* EAGAIN: the layout changed, retry */
            c.copy = 0;
        }
        if (rc == 1) {
            STORE(&r->pages[i].present, 1u);
            ADD(&r->pages[i].gen, 1u);
            sync_futex_wake(&r->pages[i].gen, INT_MAX);
        }
    }
    pthread_mutex_unlock(&r->lock);
    return rc;
}

/* The old frame is nobody's once the grace period has passed. */
static int free_old(struct fr_run *r, int i)
{
    return madvise(holder_at(r, i), FR_PAGE, MADV_DONTNEED) == 0 ? 0 : -errno;
}

/* ------------------------------------------------------------------ the migrator */

/* synchronize_rcu of the global domain, timed; the watchdog may break it (gp_breaks). */
static void grace_period(struct fr_run *r)
{
    STORE(&r->gp_breaks, 0u);
    STORE(&r->gp_hang, 0u);
    r->gp_start_ns = mono_ns();
    STORE(&r->in_gp, 1u);
    r->rcu.synchronize();
    int64_t end = mono_ns();
    STORE(&r->in_gp, 0u);
    fr_sample(r, GPCRACE_FR_S_GP, end - r->gp_start_ns);
    if (LOAD(&r->gp_breaks)) fr_sample(r, GPCRACE_FR_S_BREAK, end - LOAD(&r->last_break_ns));
    else if (end - r->gp_start_ns > r->cfg.stall_bound_ns) fr_flag(r, GPCRACE_FR_STALL);
}

/* call_srcu: the reclaimer frees the frame after the separate domain's grace period. */
static void queue_old(struct fr_run *r, int i)
{
    __atomic_or_fetch(&r->queued, 1u << i, __ATOMIC_SEQ_CST);
    ADD(&r->queued_total, 1u);
    ADD(&r->reclaim_wake, 1u);
    sync_futex_wake(&r->reclaim_wake, 1);
}

/* srcu_barrier: every frame queued so far is freed (every page of the batch is mapped by now). */
static void reclaim_barrier(struct fr_run *r)
{
    uint32_t want = LOAD(&r->queued_total);
    for (;;) {
        uint32_t f = LOAD(&r->freed);
        if (f == want || LOAD(&r->abort)) return;
        sync_futex_wait(&r->freed, f, 10000000LL);
    }
}

static int check(struct fr_run *r, int rc, const char *what)
{
    if (rc < 0) fr_fail(r, -rc, what);
    return rc < 0;
}

static int out_of_time(struct fr_run *r)
{
    return LOAD(r->stop) || LOAD(&r->abort) || (r->cfg.duration_ns > 0 && mono_ns() - r->start_ns >= r->cfg.duration_ns);
}

void *fr_migrator_main(void *arg)
{
    struct fr_run *r = arg;
    fr_pin(r->cfg.cpus[0]);
    int pages = (int)r->cfg.pages, v = (int)r->cfg.variant;
    int deferred = v == GPCRACE_FR_SRCU_DOMAIN || v == GPCRACE_FR_SRCU_BUSTED;
    while (LOAD(&r->readers_ready) < r->cfg.readers && !LOAD(&r->abort)) usleep(100);
    for (int64_t b = 0; b < r->cfg.batches && !out_of_time(r); b++) {
        if (r->cfg.gap_ns > 0) {
            struct timespec gap = {.tv_sec = r->cfg.gap_ns / 1000000000LL, .tv_nsec = r->cfg.gap_ns % 1000000000LL};
            nanosleep(&gap, NULL);
        }
        STORE(&r->batch, b);
        if (v != GPCRACE_FR_PREALLOCATE) {
            for (int i = 0; i < pages; i++) if (check(r, unmap_page(r, i), "unmap (UFFDIO_MOVE or MADV_DONTNEED)")) goto out;
        }
        for (int i = 0; i < pages; i++) {
            if (v == GPCRACE_FR_PREALLOCATE && check(r, unmap_page(r, i), "unmap (UFFDIO_MOVE or MADV_DONTNEED)")) goto out;
            if (check(r, fr_complete_page(r, i), "UFFDIO_COPY")) goto out;
            if (v == GPCRACE_FR_PREALLOCATE) continue;
            grace_period(r);
            if (deferred) queue_old(r, i);
            else if (check(r, free_old(r, i), "free the old frame (MADV_DONTNEED)")) goto out;
        }
        if (v == GPCRACE_FR_PREALLOCATE) {
            /* every new page was in place before this grace period: no fault waits for it */
            grace_period(r);
            for (int i = 0; i < pages; i++) if (check(r, free_old(r, i), "free the old frame (MADV_DONTNEED)")) goto out;
        }
        if (deferred) reclaim_barrier(r);
        r->out->pages_moved += pages;
        r->out->batches = b + 1;
        uint32_t bad = GPCRACE_FR_STALL | GPCRACE_FR_DEADLOCK | GPCRACE_FR_HANG | GPCRACE_FR_CORRUPT;
        if (!(LOAD(&r->batch_flags[b]) & bad)) __atomic_or_fetch(&r->batch_flags[b], GPCRACE_FR_MIGRATED, __ATOMIC_SEQ_CST);
    }
out:
    STORE(&r->done, 1u);
    ADD(&r->reclaim_wake, 1u);
    sync_futex_wake(&r->reclaim_wake, INT_MAX);
    return NULL;
}

/* ------------------------------------------------------------------ the reclaimer */

void *fr_reclaimer_main(void *arg)
{
    struct fr_run *r = arg;
    for (;;) {
        uint32_t w = LOAD(&r->reclaim_wake);
        uint32_t take = __atomic_exchange_n(&r->queued, 0u, __ATOMIC_SEQ_CST);
        if (!take) {
            if (stopping(r)) return NULL;
            sync_futex_wait(&r->reclaim_wake, w, 10000000LL);
            continue;
        }
        int64_t t0 = mono_ns();
        int rc = sync_srcu_synchronize(r->domain, GPCRACE_WAIT_SLEEP);
        if (rc < 0) {
            if (rc != -ECANCELED) fr_fail(r, -rc, "synchronize_srcu of the separate domain");
            return NULL;
        }
        fr_sample(r, GPCRACE_FR_S_DOMAIN_GP, mono_ns() - t0);
        for (int i = 0; i < 32; i++) {
            if (!(take & (1u << i))) continue;
            if (check(r, free_old(r, i), "free the old frame (MADV_DONTNEED)")) return NULL;
            ADD(&r->freed, 1u);
        }
        sync_futex_wake(&r->freed, INT_MAX);
    }
}
