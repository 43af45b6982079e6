/*
 * race.h - internal: one run of the GPC race (DESIGN.md section 3), shared by the round
 * runner (race.c), the invalidation sources (invalidate.c), the userfaultfd notifier
 * (uffd_notifier.c) and the SIGSEGV guard of the mprotect source (segv_guard.c).
 */
#ifndef GPCRACE_RACE_INTERNAL_H
#define GPCRACE_RACE_INTERNAL_H
#include "gpc.h"
#include <pthread.h>
#include <sys/types.h>

/* Each reader's 64-byte slot in the cached page: its counter, then a pvclock-like record. */
struct race_slot {
    uint64_t counter;
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;
    uint8_t pad1[2];
    uint8_t pad2[16];
};

/* A reader's private state; one cache line of its own. */
struct race_reader {
    uint64_t tally[3];                  /* accesses with g_inv, g_inv + 1, any other generation */
    uint64_t loop_ns;
    struct gpc_refresh_stats stats;
    uint32_t inside;                    /* inside a read-side section (for readers_inside) */
    uint32_t sense;                     /* spin-barrier local sense */
    pid_t tid;
} __attribute__((aligned(64)));

struct uffd_notifier {
    int fd;                             /* userfaultfd, -1 when not used */
    int wake_fd;                        /* eventfd that stops the monitor */
    uint32_t madvise_done;              /* the madvise thread's operation returned */
    uint32_t end_done;                  /* the monitor ended the invalidation */
    uint64_t events;
    uint64_t unexpected;                /* messages that were not UFFD_EVENT_REMOVE */
};

struct race_actor {
    struct gpcrace_gpc_run *run;
    int index;                          /* 0 invalidator, 1..readers readers, readers+1 uffd monitor */
};

struct gpcrace_gpc_run {
    struct gpcrace_gpc_config cfg;
    const struct gpc_ops *ops;
    uint32_t abort;                     /* set by the watchdog (or gpcrace_gpc_abort): every wait returns */
    uint32_t stop;                      /* the batch is over: actors leave after the start barrier */
    uint32_t progress;                  /* rounds completed (the watchdog's futex word) */
    uint32_t hung;
    int shared;                         /* readers and invalidator do not all have CPUs of their own */
    struct sync_spin_barrier start;     /* round start when every actor has its CPU */
    struct sync_sleep_barrier start_shared; /* round start on shared CPUs: spinning would starve */
    struct sync_sleep_barrier end;

    /* batch */
    uint8_t *buf;
    uint64_t batch_rounds;
    uint64_t batch_done;
    int mode;
    uint64_t rounds_total;
    int raced;                          /* a race batch was armed (calibration rounds are not counted) */
    int64_t t0_ns;                      /* run start (first round) */

    /* the current round, written by the invalidator before the start barrier */
    uint64_t g_inv;
    uint8_t *khva_inv;
    uint64_t pfn_before;
    int64_t delay_ns;
    uint32_t flags;
    uint32_t inv_done;                  /* the invalidation of this round has ended */
    uint32_t would_sleep;
    uint32_t readers_inside;
    int zap_errno;
    int64_t inv_t0_ns;
    int64_t inv_ns;
    uint64_t snapshot[GPCRACE_GPC_MAX_READERS];
    uint32_t inv_sense;

    /* environment */
    uint64_t memfd_offset;              /* memfd offset mapped at guest_base (remap flips it) */
    uint64_t inv_len;
    uint32_t prot_none;                 /* mprotect source: the range is PROT_NONE right now */
    int preserves;                      /* the source keeps content: reset counters after it */
    uint64_t rng;
    struct uffd_notifier uffd;
    pthread_t threads[GPCRACE_GPC_MAX_ACTORS];
    struct race_actor actors[GPCRACE_GPC_MAX_ACTORS];
    int nthreads;
    int actor_cpu[GPCRACE_GPC_MAX_ACTORS];
    int error;                          /* first error inside a batch (errno) */
    char errmsg[256];

    struct race_reader readers[GPCRACE_GPC_MAX_READERS];
    struct gpc gpc;
};

void race_fail(struct gpcrace_gpc_run *run, int err, const char *what);
void race_reset_counters(struct gpcrace_gpc_run *run, uint8_t *page);
void race_take_snapshot(struct gpcrace_gpc_run *run);
uint32_t race_readers_inside(struct gpcrace_gpc_run *run);
int race_pin_self(int cpu);
void race_flag(struct gpcrace_gpc_run *run, uint32_t flag);
struct race_slot *race_slot(uint8_t *page, int reader);

/* invalidate.c */
int race_source_valid(const struct gpcrace_gpc_config *cfg, char *err, uint64_t errlen);
uint64_t race_inv_len(const struct gpcrace_gpc_config *cfg);
int race_prepare_source(struct gpcrace_gpc_run *run);  /* per-round setup (collapse: split the THP) */

/* uffd_notifier.c */
int uffd_notifier_open(struct gpcrace_gpc_run *run, char *err, uint64_t errlen);
void uffd_notifier_close(struct gpcrace_gpc_run *run);
void *uffd_monitor_main(void *arg);
void uffd_notifier_stop(struct gpcrace_gpc_run *run);
int uffd_inv_finish(struct gpcrace_gpc_run *run, int zap_errno);

/* segv_guard.c */
int segv_guard_install(uint64_t lo, uint64_t hi, const uint32_t *prot_none, const uint32_t *abort);
void segv_guard_remove(void);
#endif
