/*
 * round.c - the steps on a round's state that the runner (race.c) and the userfaultfd notifier
 * (uffd_notifier.c) both take: failure recording, round flags, the readers' counter slots, the
 * snapshot S_r and the counter reset. Kept apart from the runner so the notifier depends on
 * the round state only, never on the runner.
 */
#define _GNU_SOURCE
#include "round.h"

#include <sched.h>
#include <stdio.h>
#include <string.h>

void round_fail(struct gpcrace_gpc_run *run, int err, const char *what)
{
    int none = 0;
    if (__atomic_compare_exchange_n(&run->error, &none, err, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        const char *name = gpcrace_errno_name(err);
        snprintf(run->errmsg, sizeof(run->errmsg), "%s: %s (%s)", what, strerror(err), name ? name : "?");
    }
    G_STORE(&run->abort, 1u);
}

void round_flag(struct gpcrace_gpc_run *run, uint32_t flag) { __atomic_fetch_or(&run->flags, flag, __ATOMIC_SEQ_CST); }

int round_pin_self(int cpu)
{
    if (cpu < 0) return 0;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

struct round_slot *round_slot(uint8_t *page, int reader) { return (struct round_slot *)(page + (size_t)reader * 64u); }

void round_reset_counters(struct gpcrace_gpc_run *run, uint8_t *page)
{
    for (uint32_t r = 0; r < run->cfg.readers; r++) G_STORE(&round_slot(page, (int)r)->counter, 0);
}

void round_take_snapshot(struct gpcrace_gpc_run *run)
{
    for (uint32_t r = 0; r < run->cfg.readers; r++) run->snapshot[r] = G_LOAD(&round_slot(run->khva_inv, (int)r)->counter);
}

uint32_t round_readers_inside(struct gpcrace_gpc_run *run)
{
    uint32_t n = 0;
    for (uint32_t r = 0; r < run->cfg.readers; r++) n += G_LOAD_RLX(&run->readers[r].inside);
    return n;
}
