/*
 * sync_srcu.c - the two-slot SRCU of kernel/rcu/srcutree.c (srcu_read_lock, srcu_read_unlock,
 * srcu_readers_active_idx_check, synchronize_srcu's flip between two drains), with one
 * lock/unlock counter pair per reader thread where the kernel keeps them per CPU.
 */
#define _GNU_SOURCE
#include "sync_wait.h"

void sync_srcu_init(struct sync_srcu *sp, uint32_t nreaders, const uint32_t *abort)
{
    sp->idx = 0;
    sp->wake = 0;
    sp->waiting = 0;
    sp->nreaders = nreaders < SYNC_SRCU_MAX_READERS ? nreaders : SYNC_SRCU_MAX_READERS;
    sync_mutex_init(&sp->gp_mutex, abort);
    sp->abort = abort;
    for (int r = 0; r < SYNC_SRCU_MAX_READERS; r++) {
        sp->readers[r].lock[0] = sp->readers[r].lock[1] = 0;
        sp->readers[r].unlock[0] = sp->readers[r].unlock[1] = 0;
    }
}

int sync_srcu_read_lock(struct sync_srcu *sp, int reader)
{
    int idx = (int)(LOAD_RLX(&sp->idx) & 1u);
    __atomic_fetch_add(&sp->readers[reader].lock[idx], 1, __ATOMIC_SEQ_CST);
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* smp_mb B: the count is seen before the section's loads */
    return idx;
}

void sync_srcu_read_unlock(struct sync_srcu *sp, int reader, int idx)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* smp_mb C: the section's accesses come first */
    __atomic_fetch_add(&sp->readers[reader].unlock[idx], 1, __ATOMIC_SEQ_CST);
    if (LOAD(&sp->waiting)) {
        ADD(&sp->wake, 1);
        sync_futex_wake(&sp->wake, 1);
    }
}

/* srcu_readers_active_idx_check: unlocks summed before locks, so a reader that moves between
 * the two sums can only make the slot look busy, never idle. */
static int slot_busy(const struct sync_srcu *sp, int idx)
{
    uint64_t unlocks = 0, locks = 0;
    for (uint32_t r = 0; r < sp->nreaders; r++) unlocks += LOAD(&sp->readers[r].unlock[idx]);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (uint32_t r = 0; r < sp->nreaders; r++) locks += LOAD(&sp->readers[r].lock[idx]);
    return locks != unlocks;
}

uint64_t sync_srcu_readers_active(const struct sync_srcu *sp)
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

static int srcu_drain(struct sync_srcu *sp, int idx, int policy, int *waited)
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

int sync_srcu_synchronize(struct sync_srcu *sp, int policy)
{
    if (policy == GPCRACE_WAIT_NONE) {
        if (sync_mutex_trylock(&sp->gp_mutex) != 0) return -EAGAIN;
    } else if (sync_mutex_lock(&sp->gp_mutex) < 0) {
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
    sync_mutex_unlock(&sp->gp_mutex);
    return r < 0 ? r : waited;
}
