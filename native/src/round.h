/*
 * round.h - internal: the state of one run of the GPC race and of its current round, apart
 * from the runner that drives the rounds (race.c). The runner, the invalidation sources
 * (invalidate.c) and the userfaultfd notifier (uffd_notifier.c) all read and write this state;
 * the helpers here (round.c) are the steps both notifiers take on it: the snapshot S_r, the
 * counter reset, the round flags, failure recording. Nothing here calls back into the runner
 * or a notifier.
 */
#ifndef GPCRACE_ROUND_H
#define GPCRACE_ROUND_H
#include "gpc.h"
#include "sync.h"

#include <pthread.h>
#include <sys/types.h>

/* Each reader's 64-byte slot in the cached page: its counter, then a pvclock-like record. */
struct round_slot {
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
struct round_reader {
    uint64_t tally[3];                  /* accesses with g_inv, g_inv + 1, any other generation */
    uint64_t loop_ns;
    struct gpc_refresh_stats stats;
    uint32_t inside;                    /* inside a read-side section (for readers_inside) */
    uint32_t sense;                     /* spin-barrier local sense */
    pid_t tid;
} __attribute__((aligned(64)));

/* The userfaultfd notifier's share of the run (uffd_notifier.c). madvise_done and end_done are
 * the per-round handshake between the thread that runs the madvise and the monitor. */
struct uffd_notifier {
    int fd;                             /* userfaultfd, -1 when not used */
    int wake_fd;                        /* eventfd that stops the monitor */
    uint32_t madvise_done;              /* the madvise thread's operation returned */
    uint32_t end_done;                  /* the monitor ended the invalidation */
    uint64_t events;
    uint64_t unexpected;                /* messages that were not UFFD_EVENT_REMOVE */
};

/* What an actor thread starts with: its run and its role. */
struct round_actor {
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
    struct round_actor actors[GPCRACE_GPC_MAX_ACTORS];
    int nthreads;
    int actor_cpu[GPCRACE_GPC_MAX_ACTORS];
    int error;                          /* first error inside a batch (errno) */
    char errmsg[256];

    struct round_reader readers[GPCRACE_GPC_MAX_READERS];
    struct gpc gpc;
};

/* Records the first failure of a batch (errno, what failed) and aborts every wait. */
void round_fail(struct gpcrace_gpc_run *run, int err, const char *what);
/* Sets GPCRACE_ROUND_* flags of the current round (any actor may). */
void round_flag(struct gpcrace_gpc_run *run, uint32_t flag);
/* Reader r's slot in a page holding the counters (the cached page, or the one mapped now). */
struct round_slot *round_slot(uint8_t *page, int reader);
/* The new owner's first write: every reader's counter in `page` back to 0. */
void round_reset_counters(struct gpcrace_gpc_run *run, uint8_t *page);
/* S_r: every reader's counter in the frame cached at the round start, read right after the
 * notifier start; from here on no reader may touch that frame. */
void round_take_snapshot(struct gpcrace_gpc_run *run);
/* Readers inside a read-side section right now (a racy snapshot, for the round record). */
uint32_t round_readers_inside(struct gpcrace_gpc_run *run);
/* Pins the calling actor to cpu (< 0: leaves it unpinned). 0 or an errno. */
int round_pin_self(int cpu);
#endif
