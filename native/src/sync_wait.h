/*
 * sync_wait.h - private to the sync_*.c files: the atomics shorthand and how every primitive
 * waits (a busy-wait step that yields after a budget, a futex sleep that re-checks `abort`).
 *
 * Memory ordering: the waker/sleeper handshakes are "Dekker" pairs (the sleeper announces
 * itself then re-reads the condition; the waker changes the condition then reads the
 * announcement), so both sides use seq_cst accesses; fast paths use acquire/release.
 */
#ifndef GPCRACE_SYNC_WAIT_H
#define GPCRACE_SYNC_WAIT_H
#include "sync.h"
#include "clock.h"

#include <errno.h>
#include <sched.h>

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

static inline int aborted(const uint32_t *abort) { return abort && LOAD(abort) != 0; }

/* One step of a busy-wait: pause; every 256 steps check `abort`; past the budget, yield. */
static inline int spin_step(uint32_t *n, const uint32_t *abort)
{
    sync_cpu_relax();
    if ((++*n & 255u) == 0) {
        if (aborted(abort)) return -ECANCELED;
        if (*n >= SPIN_BEFORE_YIELD) sched_yield();
    }
    return 0;
}

/*
 * Sleeps on *word while it still reads `seen`, for at most the recheck interval or until the
 * absolute deadline (< 0: none). Returns 0 (the caller re-tests its condition), -ETIMEDOUT
 * once the deadline has passed, -ECANCELED when aborted.
 */
static inline int sleep_on(uint32_t *word, uint32_t seen, const uint32_t *abort, int64_t deadline)
{
    if (aborted(abort)) return -ECANCELED;
    int64_t t = SYNC_RECHECK_NS;
    if (deadline >= 0) {
        int64_t left = deadline - mono_ns();
        if (left <= 0) return -ETIMEDOUT;
        if (left < t) t = left;
    }
    sync_futex_wait(word, seen, t); /* woken, value changed, timed out, EINTR: all re-test */
    return aborted(abort) ? -ECANCELED : 0;
}

static inline int64_t deadline_of(int64_t timeout_ns) { return timeout_ns < 0 ? -1 : mono_ns() + timeout_ns; }

#endif
