/*
 * pressure.h - internal: the memory-pressure run (gpcrace_gpc_pressure_run). Two processes share
 * one MAP_SHARED block: the child (pressure.c: the reaper, the readers and the defer worker, in
 * the memory cgroup) and the caller (pressure_watch.c: the watchdog, outside the cgroup, which
 * sees a reap-stall, writes its wait chain and breaks it by lending memory).
 */
#ifndef GPCRACE_PRESSURE_H
#define GPCRACE_PRESSURE_H
#include "gpcrace.h"

#include <stdint.h>
#include <sys/types.h>

#define PR_MAX_READERS 8
#define PR_ERR_BYTES 256

/* What the watchdog needs to see of one reader. */
struct pr_reader_state {
    int32_t tid;
    uint32_t in_section;               /* between read_begin and read_end */
    uint32_t faulting;                 /* touching its fresh pages (1 .. alloc_pages) */
    uint32_t page;                     /* the page it is touching */
    int64_t fault_t0;                  /* when it started touching them (CLOCK_MONOTONIC ns) */
} __attribute__((aligned(64)));

/* reaper_state */
#define PR_REAPER_IDLE 0
#define PR_REAPER_START 1              /* inside the non-blockable notifier start (any attempt or gap) */
#define PR_REAPER_GAVE_UP 2            /* eagain gave the range up: the readers still wait for memory */

struct pr_shared {
    /* child -> watchdog */
    uint32_t reaper_state;
    int32_t reaper_tid;
    int64_t reaper_t0;                 /* the round's first notifier start */
    uint64_t round;                    /* the round in progress (1-based) */
    uint64_t rounds_done;
    uint64_t base_limit;               /* the limit the child set (0 until set) */
    uint64_t lend_bytes;               /* what a break adds to the limit */
    uint32_t ready;                    /* the base limit is set: the watchdog may start */
    uint32_t pad0;
    struct pr_reader_state readers[PR_MAX_READERS];
    /* watchdog -> child */
    uint32_t stop;
    uint32_t round_flags;              /* STALL | BROKEN for the round in progress */
    uint64_t lent_round;               /* the round whose break raised the limit (0: none) */
    uint32_t broken_readers;           /* readers waiting for memory when the watchdog broke the chain */
    uint32_t chain_written;
    char chain[GPCRACE_PRESSURE_CHAIN_BYTES];
    char err[PR_ERR_BYTES];
    struct gpcrace_pressure_round out[]; /* cfg->rounds records */
};

/* pressure.c: the child's whole life; returns its exit status (0, or 3 with sh->err set). */
int pressure_child(const struct gpcrace_pressure_config *cfg, struct pr_shared *sh);

/* pressure.c: the cgroup files, read and written with plain system calls (no stdio in the child) */
int64_t pressure_read_u64(const char *path);
int pressure_write_u64(const char *path, uint64_t v);
#endif
