/*
 * sync: the synchronization primitives of the race engine, on futexes and GCC atomics
 * (declared in gpcrace.h, section sync). Everything a GPC protocol waits on is here, so the
 * protocols can count what would sleep and a watchdog can abort any wait.
 *
 * Memory ordering: the waker/sleeper handshakes are "Dekker" pairs (the sleeper announces
 * itself then re-reads the condition; the waker changes the condition then reads the
 * announcement), so both sides use seq_cst accesses; fast paths use acquire/release.
 */
#define _GNU_SOURCE
#include "gpcrace.h"
#include "clock.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define LOAD(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define LOAD_ACQ(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define LOAD_RLX(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
#define STORE_REL(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define STORE_RLX(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define ADD(p, v) __atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#define SUB(p, v) __atomic_sub_fetch((p), (v), __ATOMIC_SEQ_CST)
#define CAS(p, expp, desired) \
    __atomic_compare_exchange_n((p), (expp), (desired), 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)

/* Busy-wait budget before a spinner starts yielding (about 100-500 us of pause). */
#define SPIN_BEFORE_YIELD 4096u
/* Round-end barrier: spin this many pauses before sleeping (tens of microseconds). */
#define SLEEP_BARRIER_SPIN 2048u

void gpcrace_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    __asm__ volatile("" ::: "memory");
#endif
}

static int aborted(const uint32_t *abort) { return abort && LOAD(abort) != 0; }

/* One step of a busy-wait: pause; every 256 steps check `abort`; past the budget, yield. */
static int spin_step(uint32_t *n, const uint32_t *abort)
{
    gpcrace_cpu_relax();
    if ((++*n & 255u) == 0) {
        if (aborted(abort)) return -ECANCELED;
        if (*n >= SPIN_BEFORE_YIELD) sched_yield();
    }
    return 0;
}

int gpcrace_futex_wait(uint32_t *uaddr, uint32_t expected, int64_t timeout_ns)
{
    struct timespec ts, *tp = NULL;
    if (timeout_ns >= 0) {
        ts.tv_sec = timeout_ns / 1000000000LL;
        ts.tv_nsec = timeout_ns % 1000000000LL;
        tp = &ts;
    }
    long r = syscall(SYS_futex, uaddr, FUTEX_WAIT_PRIVATE, expected, tp, NULL, 0);
    return r == 0 ? 0 : -errno;
}

int gpcrace_futex_wake(uint32_t *uaddr, int nwake)
{
    long r = syscall(SYS_futex, uaddr, FUTEX_WAKE_PRIVATE, nwake, NULL, NULL, 0);
    return r < 0 ? -errno : (int)r;
}

/*
 * Sleeps on *word while it still reads `seen`, for at most the recheck interval or until the
 * absolute deadline (< 0: none). Returns 0 (the caller re-tests its condition), -ETIMEDOUT
 * once the deadline has passed, -ECANCELED when aborted.
 */
static int sleep_on(uint32_t *word, uint32_t seen, const uint32_t *abort, int64_t deadline)
{
    if (aborted(abort)) return -ECANCELED;
    int64_t t = GPCRACE_SYNC_RECHECK_NS;
    if (deadline >= 0) {
        int64_t left = deadline - mono_ns();
        if (left <= 0) return -ETIMEDOUT;
        if (left < t) t = left;
    }
    gpcrace_futex_wait(word, seen, t); /* woken, value changed, timed out, EINTR: all re-test */
    return aborted(abort) ? -ECANCELED : 0;
}

static int64_t deadline_of(int64_t timeout_ns) { return timeout_ns < 0 ? -1 : mono_ns() + timeout_ns; }

/* ------------------------------------------------------------------ spin barrier (round start) */

void gpcrace_spin_barrier_init(struct gpcrace_spin_barrier *b, uint32_t parties, const uint32_t *abort)
{
    b->parties = parties;
    b->remaining = parties;
    b->sense = 0;
    b->pad = 0;
    b->abort = abort;
}

int gpcrace_spin_barrier_wait(struct gpcrace_spin_barrier *b, uint32_t *local_sense)
{
    uint32_t s = *local_sense ^ 1u;
    *local_sense = s;
    if (SUB(&b->remaining, 1) == 0) {
        STORE_RLX(&b->remaining, b->parties);
        STORE_REL(&b->sense, s); /* the release: every spinner sees it within a cache miss */
        return 1;
    }
    uint32_t n = 0;
    while (LOAD_ACQ(&b->sense) != s) {
        if (spin_step(&n, b->abort)) return -ECANCELED;
    }
    return 0;
}

/* ------------------------------------------------------------------ sleeping barrier (round end) */

void gpcrace_sleep_barrier_init(struct gpcrace_sleep_barrier *b, uint32_t parties, const uint32_t *abort)
{
    b->parties = parties;
    b->remaining = parties;
    b->generation = 0;
    b->sleepers = 0;
    b->abort = abort;
}

int gpcrace_sleep_barrier_wait(struct gpcrace_sleep_barrier *b, int64_t timeout_ns)
{
    uint32_t gen = LOAD(&b->generation);
    if (SUB(&b->remaining, 1) == 0) {
        STORE(&b->remaining, b->parties);
        ADD(&b->generation, 1);
        if (LOAD(&b->sleepers)) gpcrace_futex_wake(&b->generation, INT_MAX);
        return 1;
    }
    /* a short spin first: the other actors usually arrive within microseconds */
    for (uint32_t i = 0; i < SLEEP_BARRIER_SPIN; i++) {
        if (LOAD_ACQ(&b->generation) != gen) return 0;
        gpcrace_cpu_relax();
    }
    int64_t deadline = deadline_of(timeout_ns);
    int r = 0;
    ADD(&b->sleepers, 1);
    while (LOAD(&b->generation) == gen) {
        r = sleep_on(&b->generation, gen, b->abort, deadline);
        if (r < 0) break;
    }
    SUB(&b->sleepers, 1);
    return r < 0 ? r : 0;
}

/* ------------------------------------------------------------------ mutex */

void gpcrace_mutex_init(struct gpcrace_mutex *m, const uint32_t *abort)
{
    m->state = 0;
    m->pad = 0;
    m->abort = abort;
}

int gpcrace_mutex_trylock(struct gpcrace_mutex *m)
{
    uint32_t c = 0;
    return CAS(&m->state, &c, 1u) ? 0 : -EBUSY;
}

int gpcrace_mutex_lock(struct gpcrace_mutex *m)
{
    uint32_t c = 0;
    if (CAS(&m->state, &c, 1u)) return 0;
    if (c != 2) c = __atomic_exchange_n(&m->state, 2u, __ATOMIC_SEQ_CST);
    while (c != 0) {
        if (sleep_on(&m->state, 2u, m->abort, -1) < 0) return -ECANCELED;
        c = __atomic_exchange_n(&m->state, 2u, __ATOMIC_SEQ_CST);
    }
    return 0;
}

void gpcrace_mutex_unlock(struct gpcrace_mutex *m)
{
    if (__atomic_fetch_sub(&m->state, 1u, __ATOMIC_SEQ_CST) != 1u) {
        STORE(&m->state, 0u);
        gpcrace_futex_wake(&m->state, 1);
    }
}

/* ------------------------------------------------------------------ rwlock */

#define RW_WLOCKED (1u << 31)
#define RW_WWAIT (1u << 30)
#define RW_WMASK (RW_WLOCKED | RW_WWAIT)
#define RW_READERS (RW_WWAIT - 1u)

void gpcrace_rwlock_init(struct gpcrace_rwlock *l, uint32_t kind, const uint32_t *abort)
{
    l->kind = kind;
    l->state = 0;
    l->rwake = 0;
    l->rsleepers = 0;
    l->wwake = 0;
    l->pad = 0;
    gpcrace_mutex_init(&l->wmutex, abort);
    l->abort = abort;
}

int gpcrace_rwlock_read_lock(struct gpcrace_rwlock *l)
{
    uint32_t n = 0;
    for (;;) {
        uint32_t s = LOAD_RLX(&l->state);
        if (!(s & RW_WMASK)) {
            if (CAS(&l->state, &s, s + 1u)) return 0;
            continue;
        }
        if (l->kind == GPCRACE_RWLOCK_SPIN) {
            if (spin_step(&n, l->abort)) return -ECANCELED;
            continue;
        }
        /* sleeping kind: announce, re-test, sleep until write_unlock bumps rwake */
        ADD(&l->rsleepers, 1);
        uint32_t seq = LOAD(&l->rwake);
        int r = 0;
        if (LOAD(&l->state) & RW_WMASK) r = sleep_on(&l->rwake, seq, l->abort, -1);
        SUB(&l->rsleepers, 1);
        if (r < 0) return r;
    }
}

void gpcrace_rwlock_read_unlock(struct gpcrace_rwlock *l)
{
    uint32_t s = SUB(&l->state, 1u);
    if (l->kind == GPCRACE_RWLOCK_SLEEPING && (s & RW_WWAIT) && (s & RW_READERS) == 0) {
        ADD(&l->wwake, 1);
        gpcrace_futex_wake(&l->wwake, 1); /* the last reader out wakes the draining writer */
    }
}

static void rw_wake_readers(struct gpcrace_rwlock *l)
{
    if (l->kind != GPCRACE_RWLOCK_SLEEPING) return;
    ADD(&l->rwake, 1);
    if (LOAD(&l->rsleepers)) gpcrace_futex_wake(&l->rwake, INT_MAX);
}

/* Withdraws an announced writer that gives up (EAGAIN or abort). */
static int rw_withdraw(struct gpcrace_rwlock *l, int err)
{
    __atomic_fetch_and(&l->state, ~RW_WWAIT, __ATOMIC_SEQ_CST);
    rw_wake_readers(l);
    if (l->kind == GPCRACE_RWLOCK_SLEEPING) gpcrace_mutex_unlock(&l->wmutex);
    return err;
}

int gpcrace_rwlock_write_lock(struct gpcrace_rwlock *l, int policy)
{
    int waited = 0;
    uint32_t n = 0;
    int sleeps = l->kind == GPCRACE_RWLOCK_SLEEPING && policy == GPCRACE_WAIT_SLEEP;

    /* 1. become the one announced writer */
    if (l->kind == GPCRACE_RWLOCK_SLEEPING) {
        if (gpcrace_mutex_trylock(&l->wmutex) != 0) {
            if (policy == GPCRACE_WAIT_NONE) return -EAGAIN;
            waited = 1;
            if (sleeps) {
                if (gpcrace_mutex_lock(&l->wmutex) < 0) return -ECANCELED;
            } else {
                while (gpcrace_mutex_trylock(&l->wmutex) != 0)
                    if (spin_step(&n, l->abort)) return -ECANCELED;
            }
        }
        __atomic_fetch_or(&l->state, RW_WWAIT, __ATOMIC_SEQ_CST);
    } else {
        for (;;) {
            uint32_t s = LOAD_RLX(&l->state);
            if (!(s & RW_WMASK)) {
                if (CAS(&l->state, &s, s | RW_WWAIT)) break;
                continue;
            }
            if (policy == GPCRACE_WAIT_NONE) return -EAGAIN;
            waited = 1;
            if (spin_step(&n, l->abort)) return -ECANCELED;
        }
    }

    /* 2. new readers are held off; wait for the ones inside to leave */
    for (;;) {
        uint32_t s = LOAD(&l->state);
        if ((s & RW_READERS) == 0) {
            STORE(&l->state, RW_WLOCKED); /* no reader can change state while WWAIT is set */
            return waited;
        }
        if (policy == GPCRACE_WAIT_NONE) return rw_withdraw(l, -EAGAIN);
        waited = 1;
        if (!sleeps) {
            if (spin_step(&n, l->abort)) return rw_withdraw(l, -ECANCELED);
            continue;
        }
        uint32_t seq = LOAD(&l->wwake);
        if (LOAD(&l->state) & RW_READERS) {
            if (sleep_on(&l->wwake, seq, l->abort, -1) < 0) return rw_withdraw(l, -ECANCELED);
        }
    }
}

void gpcrace_rwlock_write_unlock(struct gpcrace_rwlock *l)
{
    STORE(&l->state, 0u);
    rw_wake_readers(l);
    if (l->kind == GPCRACE_RWLOCK_SLEEPING) gpcrace_mutex_unlock(&l->wmutex);
}

uint32_t gpcrace_rwlock_readers(const struct gpcrace_rwlock *l) { return LOAD(&l->state) & RW_READERS; }

/* ------------------------------------------------------------------ seqcount */

void gpcrace_seqcount_init(struct gpcrace_seqcount *s) { s->seq = 0; }

void gpcrace_seq_write_begin(struct gpcrace_seqcount *s)
{
    STORE_RLX(&s->seq, LOAD_RLX(&s->seq) + 1u);
    __atomic_thread_fence(__ATOMIC_RELEASE); /* smp_wmb: the odd count is visible before the data */
}

void gpcrace_seq_write_end(struct gpcrace_seqcount *s)
{
    STORE_REL(&s->seq, LOAD_RLX(&s->seq) + 1u); /* smp_wmb + even count after the data */
}

uint32_t gpcrace_seq_read_begin(const struct gpcrace_seqcount *s)
{
    for (;;) {
        uint32_t v = LOAD_ACQ(&s->seq);
        if (!(v & 1u)) return v;
        gpcrace_cpu_relax();
    }
}

int gpcrace_seq_read_retry(const struct gpcrace_seqcount *s, uint32_t start)
{
    __atomic_thread_fence(__ATOMIC_ACQUIRE); /* smp_rmb: the data reads happen before this check */
    return LOAD_RLX(&s->seq) != start;
}

/* ------------------------------------------------------------------ SRCU */

void gpcrace_srcu_init(struct gpcrace_srcu *sp, uint32_t nreaders, const uint32_t *abort)
{
    sp->idx = 0;
    sp->wake = 0;
    sp->waiting = 0;
    sp->nreaders = nreaders < GPCRACE_SRCU_MAX_READERS ? nreaders : GPCRACE_SRCU_MAX_READERS;
    gpcrace_mutex_init(&sp->gp_mutex, abort);
    sp->abort = abort;
    for (int r = 0; r < GPCRACE_SRCU_MAX_READERS; r++) {
        sp->readers[r].lock[0] = sp->readers[r].lock[1] = 0;
        sp->readers[r].unlock[0] = sp->readers[r].unlock[1] = 0;
    }
}

int gpcrace_srcu_read_lock(struct gpcrace_srcu *sp, int reader)
{
    int idx = (int)(LOAD_RLX(&sp->idx) & 1u);
    __atomic_fetch_add(&sp->readers[reader].lock[idx], 1, __ATOMIC_SEQ_CST);
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* smp_mb B: the count is seen before the section's loads */
    return idx;
}

void gpcrace_srcu_read_unlock(struct gpcrace_srcu *sp, int reader, int idx)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* smp_mb C: the section's accesses come first */
    __atomic_fetch_add(&sp->readers[reader].unlock[idx], 1, __ATOMIC_SEQ_CST);
    if (LOAD(&sp->waiting)) {
        ADD(&sp->wake, 1);
        gpcrace_futex_wake(&sp->wake, 1);
    }
}

/* srcu_readers_active_idx_check: unlocks summed before locks, so a reader that moves between
 * the two sums can only make the slot look busy, never idle. */
static int slot_busy(const struct gpcrace_srcu *sp, int idx)
{
    uint64_t unlocks = 0, locks = 0;
    for (uint32_t r = 0; r < sp->nreaders; r++) unlocks += LOAD(&sp->readers[r].unlock[idx]);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (uint32_t r = 0; r < sp->nreaders; r++) locks += LOAD(&sp->readers[r].lock[idx]);
    return locks != unlocks;
}

uint64_t gpcrace_srcu_readers_active(const struct gpcrace_srcu *sp)
{
    uint64_t active = 0;
    for (int idx = 0; idx < 2; idx++) {
        uint64_t unlocks = 0, locks = 0;
        for (uint32_t r = 0; r < sp->nreaders; r++) unlocks += LOAD(&sp->readers[r].unlock[idx]);
        for (uint32_t r = 0; r < sp->nreaders; r++) locks += LOAD(&sp->readers[r].lock[idx]);
        active += locks - unlocks;
    }
    return active;
}

static int srcu_drain(struct gpcrace_srcu *sp, int idx, int policy, int *waited)
{
    if (!slot_busy(sp, idx)) return 0;
    if (policy == GPCRACE_WAIT_NONE) return -EAGAIN;
    *waited = 1;
    uint32_t n = 0;
    if (policy == GPCRACE_WAIT_SPIN) {
        while (slot_busy(sp, idx))
            if (spin_step(&n, sp->abort)) return -ECANCELED;
        return 0;
    }
    int r = 0;
    STORE(&sp->waiting, 1u);
    for (;;) {
        uint32_t seq = LOAD(&sp->wake);
        if (!slot_busy(sp, idx)) break;
        r = sleep_on(&sp->wake, seq, sp->abort, -1);
        if (r < 0) break;
    }
    STORE(&sp->waiting, 0u);
    return r;
}

int gpcrace_srcu_synchronize(struct gpcrace_srcu *sp, int policy)
{
    if (policy == GPCRACE_WAIT_NONE) {
        if (gpcrace_mutex_trylock(&sp->gp_mutex) != 0) return -EAGAIN;
    } else if (gpcrace_mutex_lock(&sp->gp_mutex) < 0) {
        return -ECANCELED;
    }
    int waited = 0;
    int idx = (int)(LOAD(&sp->idx) & 1u);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    int r = srcu_drain(sp, idx ^ 1, policy, &waited); /* stragglers of an earlier grace period */
    if (r == 0) {
        STORE(&sp->idx, (uint32_t)(idx ^ 1)); /* the flip: new readers use the other slot */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        r = srcu_drain(sp, idx, policy, &waited);
    }
    gpcrace_mutex_unlock(&sp->gp_mutex);
    return r < 0 ? r : waited;
}

/* ------------------------------------------------------------------ count-wait */

void gpcrace_countwait_init(struct gpcrace_countwait *cw, const uint32_t *abort)
{
    cw->count = 0;
    cw->wake = 0;
    cw->sleepers = 0;
    cw->pad = 0;
    cw->abort = abort;
}

void gpcrace_countwait_inc(struct gpcrace_countwait *cw) { ADD(&cw->count, 1u); }

void gpcrace_countwait_dec(struct gpcrace_countwait *cw)
{
    if (SUB(&cw->count, 1u) == 0 && LOAD(&cw->sleepers)) {
        ADD(&cw->wake, 1u);
        gpcrace_futex_wake(&cw->wake, INT_MAX); /* rcuwait_wake_up */
    }
}

uint32_t gpcrace_countwait_count(const struct gpcrace_countwait *cw) { return LOAD(&cw->count); }

int gpcrace_countwait_wait_zero(struct gpcrace_countwait *cw, int64_t timeout_ns)
{
    if (LOAD(&cw->count) == 0) return 0;
    int64_t deadline = deadline_of(timeout_ns);
    int r = 0;
    ADD(&cw->sleepers, 1u);
    for (;;) {
        uint32_t seq = LOAD(&cw->wake);
        if (LOAD(&cw->count) == 0) break;
        r = sleep_on(&cw->wake, seq, cw->abort, deadline);
        if (r < 0) break;
    }
    SUB(&cw->sleepers, 1u);
    return r;
}

int gpcrace_countwait_wait_zero_spin(struct gpcrace_countwait *cw, int64_t spin_ns, int64_t timeout_ns)
{
    if (LOAD(&cw->count) == 0) return 0;
    int64_t start = mono_ns();
    uint32_t n = 0;
    while (LOAD(&cw->count) != 0) {
        gpcrace_cpu_relax();
        if ((++n & 63u) == 0) {
            if (aborted(cw->abort)) return -ECANCELED;
            int64_t spent = mono_ns() - start;
            if (spent >= spin_ns) {
                int64_t left = timeout_ns < 0 ? -1 : timeout_ns - spent;
                if (timeout_ns >= 0 && left <= 0) return -ETIMEDOUT;
                return gpcrace_countwait_wait_zero(cw, left);
            }
        }
    }
    return 0;
}
