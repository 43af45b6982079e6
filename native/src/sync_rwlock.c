/*
 * sync_rwlock.c - the writer-preferring reader-writer lock, spinning (a non-PREEMPT_RT
 * rwlock_t, cf. qrwlock) or sleeping (PREEMPT_RT's rwlock_t, kernel/locking/rwbase_rt.c).
 * state: readers inside (low 30 bits) | RW_WWAIT a writer announced | RW_WLOCKED a writer holds.
 */
#define _GNU_SOURCE
#include "sync_wait.h"

#include <limits.h>

#define RW_WLOCKED (1u << 31)
#define RW_WWAIT (1u << 30)
#define RW_WMASK (RW_WLOCKED | RW_WWAIT)
#define RW_READERS (RW_WWAIT - 1u)

void sync_rwlock_init(struct sync_rwlock *l, uint32_t kind, const uint32_t *abort)
{
    l->kind = kind;
    l->state = 0;
    l->rwake = 0;
    l->rsleepers = 0;
    l->wwake = 0;
    l->pad = 0;
    sync_mutex_init(&l->wmutex, abort);
    l->abort = abort;
}

int sync_rwlock_read_lock(struct sync_rwlock *l)
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

void sync_rwlock_read_unlock(struct sync_rwlock *l)
{
    uint32_t s = SUB(&l->state, 1u);
    if (l->kind == GPCRACE_RWLOCK_SLEEPING && (s & RW_WWAIT) && (s & RW_READERS) == 0) {
        ADD(&l->wwake, 1);
        sync_futex_wake(&l->wwake, 1); /* the last reader out wakes the draining writer */
    }
}

static void rw_wake_readers(struct sync_rwlock *l)
{
    if (l->kind != GPCRACE_RWLOCK_SLEEPING) return;
    ADD(&l->rwake, 1);
    if (LOAD(&l->rsleepers)) sync_futex_wake(&l->rwake, INT_MAX);
}

/* Withdraws an announced writer that gives up (EAGAIN or abort). */
static int rw_withdraw(struct sync_rwlock *l, int err)
{
    __atomic_fetch_and(&l->state, ~RW_WWAIT, __ATOMIC_SEQ_CST);
    rw_wake_readers(l);
    if (l->kind == GPCRACE_RWLOCK_SLEEPING) sync_mutex_unlock(&l->wmutex);
    return err;
}

int sync_rwlock_write_lock(struct sync_rwlock *l, int policy)
{
    int waited = 0;
    uint32_t n = 0;
    int sleeps = l->kind == GPCRACE_RWLOCK_SLEEPING && policy == GPCRACE_WAIT_SLEEP;

    /* 1. become the one announced writer */
    if (l->kind == GPCRACE_RWLOCK_SLEEPING) {
        if (sync_mutex_trylock(&l->wmutex) != 0) {
            if (policy == GPCRACE_WAIT_NONE) return -EAGAIN;
            waited = 1;
            if (sleeps) {
                if (sync_mutex_lock(&l->wmutex) < 0) return -ECANCELED;
            } else {
                while (sync_mutex_trylock(&l->wmutex) != 0)
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

void sync_rwlock_write_unlock(struct sync_rwlock *l)
{
    STORE(&l->state, 0u);
    rw_wake_readers(l);
    if (l->kind == GPCRACE_RWLOCK_SLEEPING) sync_mutex_unlock(&l->wmutex);
}

uint32_t sync_rwlock_readers(const struct sync_rwlock *l) { return LOAD(&l->state) & RW_READERS; }
