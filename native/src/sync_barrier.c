/*
 * sync_barrier.c - the round's barriers: a sense-reversing spin barrier releases every actor
 * within tens of ns at the round start; a sleeping barrier ends the round without burning the
 * CPUs of actors that finished early.
 */
#define _GNU_SOURCE
#include "sync_wait.h"

#include <limits.h>

/* Round-end barrier: spin this many pauses before sleeping (tens of microseconds). */
#define SLEEP_BARRIER_SPIN 2048u

void sync_spin_barrier_init(struct sync_spin_barrier *b, uint32_t parties, const uint32_t *abort)
{
    b->parties = parties;
    b->remaining = parties;
    b->sense = 0;
    b->pad = 0;
    b->abort = abort;
}

int sync_spin_barrier_wait(struct sync_spin_barrier *b, uint32_t *local_sense)
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

void sync_sleep_barrier_init(struct sync_sleep_barrier *b, uint32_t parties, const uint32_t *abort)
{
    b->parties = parties;
    b->remaining = parties;
    b->generation = 0;
    b->sleepers = 0;
    b->abort = abort;
}

int sync_sleep_barrier_wait(struct sync_sleep_barrier *b, int64_t timeout_ns)
{
    uint32_t gen = LOAD(&b->generation);
    if (SUB(&b->remaining, 1) == 0) {
        STORE(&b->remaining, b->parties);
        ADD(&b->generation, 1);
        if (LOAD(&b->sleepers)) sync_futex_wake(&b->generation, INT_MAX);
        return 1;
    }
    /* a short spin first: the other actors usually arrive within microseconds */
    for (uint32_t i = 0; i < SLEEP_BARRIER_SPIN; i++) {
        if (LOAD_ACQ(&b->generation) != gen) return 0;
        sync_cpu_relax();
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
