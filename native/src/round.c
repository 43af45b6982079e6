/*
 * round.c - the steps on a round's state that the runner (race.c) and the userfaultfd notifier
 * (uffd_notifier.c) both take: failure recording, round flags, the readers' counter slots, the
 * frames the harness reads, the snapshot S and the new owner's takeover. Kept apart from the
 * runner so the notifier depends on the round state only, never on the runner.
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

int round_pages(struct gpcrace_gpc_run *run, uint8_t **pages)
{
    if (!run->hview) {
        pages[0] = (uint8_t *)(uintptr_t)run->cfg.guest_base;
        return 1;
    }
    int n = 0;
    pages[n++] = run->hview;
    if (run->cfg.source == GPCRACE_SRC_REMAP && run->cfg.remap_offset) pages[n++] = run->hview + run->cfg.remap_offset;
    return n;
}

uint8_t *round_frame_of(struct gpcrace_gpc_run *run, int d)
{
    if (!run->hview) return (uint8_t *)(uintptr_t)run->cfg.guest_base;
    return run->hview + run->gpc.gen_offset[(run->g_inv + (uint64_t)d) % GPCRACE_GPC_GENS];
}

void round_reset_counters(struct gpcrace_gpc_run *run)
{
    uint8_t *pages[2];
    int n = round_pages(run, pages);
    for (int p = 0; p < n; p++)
        for (uint32_t r = 0; r < run->cfg.readers; r++)
            for (int d = 0; d < GPCRACE_GPC_GENS; d++) G_STORE(&round_slot(pages[p], (int)r)->counter[d], 0);
}

void round_handover(struct gpcrace_gpc_run *run, int zap_errno)
{
    if (!run->preserves && !zap_errno) return; /* the operation freed the frame: the next one starts zeroed */
    round_reset_counters(run);
    round_flag(run, GPCRACE_ROUND_RESET);
}

void round_take_snapshot(struct gpcrace_gpc_run *run)
{
    uint64_t d = G_LOAD(&run->gpc.generation) - run->g_inv;
    if (d >= GPCRACE_GPC_GENS) return; /* the tally reports the harness inconsistency */
    uint32_t bit = 1u << d, m = G_LOAD(&run->snap_mask);
    do {
        if (m & bit) return;
    } while (!G_CAS(&run->snap_mask, &m, m | bit));
    uint8_t *frame = round_frame_of(run, (int)d);
    for (uint32_t r = 0; r < run->cfg.readers; r++) run->snapshot[d][r] = G_LOAD(&round_slot(frame, (int)r)->counter[d]);
}

uint32_t round_readers_inside(struct gpcrace_gpc_run *run)
{
    uint32_t n = 0;
    for (uint32_t r = 0; r < run->cfg.readers; r++) n += G_LOAD_RLX(&run->readers[r].inside);
    return n;
}
