/*
 * sync_mutex.c - the three-state futex mutex of Drepper's "Futexes Are Tricky" (0 free,
 * 1 locked, 2 locked with waiters): the GPC's refresh_lock, and the writers' mutex of the
 * sleeping rwlock and of SRCU synchronize.
 */
#define _GNU_SOURCE
#include "sync_wait.h"

void sync_mutex_init(struct sync_mutex *m, const uint32_t *abort)
{
    m->state = 0;
    m->pad = 0;
    m->abort = abort;
}

int sync_mutex_trylock(struct sync_mutex *m)
{
    uint32_t c = 0;
    return CAS(&m->state, &c, 1u) ? 0 : -EBUSY;
}

int sync_mutex_lock(struct sync_mutex *m)
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

void sync_mutex_unlock(struct sync_mutex *m)
{
    if (__atomic_fetch_sub(&m->state, 1u, __ATOMIC_SEQ_CST) != 1u) {
        STORE(&m->state, 0u);
        sync_futex_wake(&m->state, 1);
    }
}
