/*
 * round.h - internal: the state of one run of the GPC race and of its current round, apart
 * from the runner that drives the rounds (race.c). The runner, the invalidation sources
 * (invalidate.c) and the userfaultfd notifier (uffd_notifier.c) all read and write this state;
 * the helpers here (round.c) are the steps both notifiers take on it: the snapshot S, the new
 * owner's takeover of a frame, the round flags, failure recording. Nothing here calls back into
 * the runner or a notifier.
 */
#ifndef GPCRACE_ROUND_H
#define GPCRACE_ROUND_H
#include "gpc.h"
#include "sync.h"

#include <pthread.h>
#include <sys/types.h>

/* Each reader's 64-byte slot in the cached page: one counter per generation of the round (an
 * access increments the counter of the generation it used, in whatever frame its khva reaches),
 * then a pvclock-like record. */
struct round_slot {
    uint64_t counter[GPCRACE_GPC_GENS];
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;
    uint8_t pad1[2];
};

/* A reader's private state; cache lines of its own. */
struct round_reader {
    uint64_t tally[GPCRACE_GPC_GENS];   /* accesses with g_inv + d */
    uint64_t tally_other;
    uint64_t loop_ns;
    uint64_t kick_ns;                   /* the round's first kick: request to acknowledgement */
    struct gpc_stats stats;
    uint32_t unmap_use;
    uint32_t kicks;
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
    int index;                          /* the cpus[] slot: 0 invalidator, 1..R readers, ... */
    int role;
};

/* The storm: invalidations of a range no memslot and no cache covers, all through the run. */
struct round_storm {
    uint8_t *base;
    uint64_t len;
    uint32_t stop;
    uint64_t count;
};

struct gpcrace_gpc_run {
    struct gpcrace_gpc_config cfg;
    const struct gpc_ops *ops;
    uint32_t abort;                     /* set by the watchdog (or gpcrace_gpc_abort): every wait returns */
    uint32_t stop;                      /* the batch is over: actors leave after the start barrier */
    uint32_t progress;                  /* rounds completed (the watchdog's futex word) */
    uint32_t hung;
    int shared;                         /* the actors do not all have CPUs of their own */
    int guarded;                        /* this run installed the SIGSEGV guard */
    uint32_t parties;                   /* actors at the round barriers: readers + invalidators */
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

    /* the current round, written by the first invalidator before the start barrier */
    uint64_t g_inv;
    uint64_t pfn_before;
    uint64_t pfn_recorded;              /* the last record's pfn_after, and the cache generation then */
    uint64_t gen_recorded;
    uint64_t frame_early;               /* the frame read once the invalidations ended (0: not back yet) */
    int64_t delay_ns;
    int64_t delay2_ns;                  /* the second invalidator's */
    int unmap_round;
    uint32_t flags;
    uint32_t inv_done;                  /* every invalidation of this round has ended */
    uint32_t invalidators_done;
    uint32_t events;                    /* completed starts */
    uint32_t eagains;
    uint32_t would_sleep;
    uint32_t kicks;
    uint32_t readers_inside;
    int zap_errno;
    int64_t inv_t0_ns;                  /* first start */
    int64_t inv_t1_ns;                  /* last end */
    uint32_t snap_mask;
    uint64_t snapshot[GPCRACE_GPC_GENS][GPCRACE_GPC_MAX_READERS];
    uint64_t storm_at_start;
    uint32_t inv_sense, inv2_sense;

    /* environment */
    uint64_t memfd_offset;              /* memfd offset mapped at guest_base (remap flips it) */
    uint64_t inv_len;
    uint8_t *hview;                     /* the harness's own view of the memfd (file-backed memory) */
    uint64_t hview_len;
    uint32_t prot_none;                 /* mprotect source: invalidations holding the range PROT_NONE */
    int preserves;                      /* the source keeps content: reset counters after it */
    uint64_t rng;
    struct uffd_notifier uffd;
    struct round_storm storm;
    pthread_t threads[GPCRACE_GPC_MAX_ACTORS];
    struct round_actor actors[GPCRACE_GPC_MAX_ACTORS];
    int nthreads;
    int actor_cpu[GPCRACE_GPC_MAX_ACTORS];
    int error;                          /* first error inside a batch (errno) */
    char errmsg[256];

    struct round_reader readers[GPCRACE_GPC_MAX_READERS];
    struct gpc gpc;
};

/* Actor slots in cfg.cpus (gpcrace.h: GPCRACE_GPC_MAX_ACTORS). */
static inline int round_slot_monitor(const struct gpcrace_gpc_run *run) { return (int)run->cfg.readers + 1; }
static inline int round_slot_inv2(const struct gpcrace_gpc_run *run) { return (int)run->cfg.readers + 2; }
static inline int round_slot_storm(const struct gpcrace_gpc_run *run) { return (int)run->cfg.readers + 3; }
static inline int round_slot_worker(const struct gpcrace_gpc_run *run) { return (int)run->cfg.readers + 4; }

/* Records the first failure of a batch (errno, what failed) and aborts every wait. */
void round_fail(struct gpcrace_gpc_run *run, int err, const char *what);
/* Sets GPCRACE_ROUND_* flags of the current round (any actor may). */
void round_flag(struct gpcrace_gpc_run *run, uint32_t flag);
/* Reader r's slot in a page holding the counters (a frame, seen through any mapping of it). */
struct round_slot *round_slot(uint8_t *page, int reader);
/* Every frame the harness can read at the round's end: the page at the guest address, or for
 * file-backed memory every memfd page the guest address may map (the old one of a remap too). */
int round_pages(struct gpcrace_gpc_run *run, uint8_t **pages);
/* The harness's view of the frame generation g_inv + d was published with. */
uint8_t *round_frame_of(struct gpcrace_gpc_run *run, int d);
/* Zeroes every counter of every reader in the pages the harness can read. */
void round_reset_counters(struct gpcrace_gpc_run *run);
/* The new owner's takeover after an operation that kept the content (or failed): its first
 * write zeroes the counters, so what lands afterwards is a stale write into someone else's data. */
void round_handover(struct gpcrace_gpc_run *run, int zap_errno);
/* S: after a start returned, the counters of the generation it invalidated (the first start to
 * return after that generation was published takes it): from here on no reader may use it. */
void round_take_snapshot(struct gpcrace_gpc_run *run);
/* Readers inside a read-side section right now (a racy snapshot, for the round record). */
uint32_t round_readers_inside(struct gpcrace_gpc_run *run);
/* Pins the calling actor to cpu (< 0: leaves it unpinned). 0 or an errno. */
int round_pin_self(int cpu);
#endif
