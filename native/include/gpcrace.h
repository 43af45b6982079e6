/*
 * gpcrace.h - the one C ABI of libgpcrace.so.
 *
 * Every function Java calls and every struct that crosses the boundary is declared here, and
 * nothing else: what only the C side uses lives in the internal headers under native/src/.
 * Structs are described at run time by the ABI self-description (gpcrace_abi_*), which both
 * Java bridges check against their layouts before they make any other call.
 *
 * Sections, one per domain (each owns its own .c files under native/src/):
 *   core     version, errno names, the ABI description, a no-op for bridge overhead
 *   sync     wait policies, rwlock kinds (primitives: native/src/sync.h)     (race engine)
 *   gpc      the userspace GPC, protocol variants, invalidation, rounds      (race engine)
 *   probe    latency probes and the clock                                    (latency)
 *   kernel   pin, kvm helpers                                                (real kernel)
 *   fault    fault-in-reader: a page fault inside an RCU read-side section    (rcu list)
 */
#ifndef GPCRACE_H
#define GPCRACE_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GPCRACE_ABI_VERSION 1

/* ------------------------------------------------------------------------------------- core */

/* Library version string, e.g. "gpcrace-native 0.1.0 abi 1". */
const char *gpcrace_version(void);
/* ABI version; a bridge refuses a library whose number differs from its own. */
int gpcrace_abi_version(void);
/* Symbolic name of an errno value ("ENOMEM"), or NULL when unknown. */
const char *gpcrace_errno_name(int err);
/* Returns its argument: the cheapest possible call, for measuring bridge overhead. */
int64_t gpcrace_noop(int64_t x);

/*
 * ABI self-description: every struct that crosses the boundary, with its size and the offset
 * and size of each field Java touches. Indexes run from 0 to count-1; out-of-range indexes
 * return NULL / -1.
 */
int gpcrace_abi_struct_count(void);
const char *gpcrace_abi_struct_name(int s);
int64_t gpcrace_abi_struct_size(int s);
int gpcrace_abi_field_count(int s);
const char *gpcrace_abi_field_name(int s, int f);
int64_t gpcrace_abi_field_offset(int s, int f);
int64_t gpcrace_abi_field_size(int s, int f);
/* The same table as one text the bridges read with a single call: "S name size" per struct,
 * then "F name offset size" per field, each line ending in a newline. */
const char *gpcrace_abi_text(void);

/* ------------------------------------------------------------------------------------- sync */
/*
 * The race engine's synchronization primitives (futex, barriers, mutex, rwlocks, seqcount,
 * SRCU, count-wait) are internal to the library; Java passes only these choices in
 * gpcrace_gpc_config and gpcrace_probe_cfg.
 *
 * Wait policies (what a waiting step does when it cannot proceed at once), used by the
 * rwlock write side and SRCU synchronize, so the non-blockable mode can count and choose.
 */
#define GPCRACE_WAIT_SLEEP 0   /* sleep on a futex (a blocking context) */
#define GPCRACE_WAIT_SPIN  1   /* busy-wait (an atomic context may spin) */
#define GPCRACE_WAIT_NONE  2   /* do not wait: return -EAGAIN */

/*
 * Reader-writer lock kinds, both writer-preferring (like qrwlock and PREEMPT_RT's rwbase):
 *   SPIN      readers and writers busy-wait (a non-PREEMPT_RT rwlock_t);
 *   SLEEPING  readers and writers sleep on futexes (PREEMPT_RT's rwlock_t).
 */
#define GPCRACE_RWLOCK_SPIN     0
#define GPCRACE_RWLOCK_SLEEPING 1

/* ------------------------------------------------------------------------------------- gpc */
/*
 * The userspace GPC and the round runner (native/src/gpc*.c, race.c, round.c, invalidate.c,
 * uffd_notifier.c, segv_guard.c). Java fills a gpcrace_gpc_config, creates a run, then runs
 * batches of rounds; each round writes one gpcrace_gpc_round followed by `readers`
 * gpcrace_gpc_reader_round records into a Java-provided buffer. Every parameter is in the
 * config and every result in the batch buffer (plus the getters below), so the same calls can
 * drive the engine from another process. The C side only reports raw numbers; Java judges every
 * round with the shared oracle (org.gpcrace.protocol.Oracle).
 *
 * Protocols are looked up by their id string (the same ids as org.gpcrace.protocol.Protocol).
 */
#define GPCRACE_GPC_MAX_READERS 64     /* one 64-byte slot each in the cached page */
/* cpus[]: [0] invalidator, [1..R] readers, [R+1] uffd monitor, [R+2] second invalidator,
 * [R+3] storm, [R+4] defer worker (R = readers) */
#define GPCRACE_GPC_MAX_ACTORS (GPCRACE_GPC_MAX_READERS + 5)
/* Generations tallied per round: g_inv (the round's first) .. g_inv + 3. Each reader slot
 * holds one counter per generation (gen - g_inv), so several invalidations per round stay exact. */
#define GPCRACE_GPC_GENS 4
/* In-range invalidations (and unmaps) per round: each can lead to one new generation. */
#define GPCRACE_GPC_MAX_EVENTS (GPCRACE_GPC_GENS - 1)

/* invalidation sources: each a real kernel operation on the guest range */
#define GPCRACE_SRC_DONTNEED   0   /* madvise(MADV_DONTNEED) */
#define GPCRACE_SRC_REMOVE     1   /* madvise(MADV_REMOVE), shmem/hugetlb */
#define GPCRACE_SRC_PUNCH_HOLE 2   /* fallocate(PUNCH_HOLE|KEEP_SIZE) on the memfd */
#define GPCRACE_SRC_FREE       3   /* madvise(MADV_FREE), private anonymous */
#define GPCRACE_SRC_PAGEOUT    4   /* madvise(MADV_PAGEOUT): no effect without swap */
#define GPCRACE_SRC_MPROTECT   5   /* mprotect(PROT_NONE) then back to read-write */
#define GPCRACE_SRC_REMAP      6   /* mmap(MAP_FIXED) of another page over the range */
#define GPCRACE_SRC_COLLAPSE   7   /* madvise(MADV_COLLAPSE) of a split THP: a new huge frame */
#define GPCRACE_SRC_COUNT      8

#define GPCRACE_BACKING_ANON    0
#define GPCRACE_BACKING_SHMEM   1
#define GPCRACE_BACKING_THP     2
#define GPCRACE_BACKING_HUGETLB 3

#define GPCRACE_ACCESS_PVCLOCK 0   /* counter increment + a 32-byte versioned pvclock-like write */
#define GPCRACE_ACCESS_COUNTER 1   /* counter increment only */

#define GPCRACE_NOTIFIER_HOOKS 0   /* the invalidator calls notifier start/end around the operation */
#define GPCRACE_NOTIFIER_UFFD  1   /* a userfaultfd monitor reacts to UFFD_EVENT_REMOVE */

#define GPCRACE_INVALIDATOR_NATIVE 0
#define GPCRACE_INVALIDATOR_JAVA   1   /* the invalidation step is driven by a Java thread */

/* Non-blockable policies beyond the primitives' GPCRACE_WAIT_SLEEP/_SPIN/_NONE (nonblock_policy):
 * DEFER   mark the cache invalid without waiting, queue the waiting part to a worker that may
 *         block, return: the zap proceeds (the !blockable deferral NAKed in "Re: [PATCH] KVM:
 *         mmu_notifier: make mn_invalidate_lock non-sleeping for non-blocking invalidations",
 *         March 2026);
 * NOWAIT  guest mode: kick the readers out of guest mode without waiting for them
 *         (KVM_REQUEST_WAIT dropped, "perform the request without KVM_REQUEST_WAIT and be sad"). */
#define GPCRACE_WAIT_DEFER  3
#define GPCRACE_WAIT_NOWAIT 4

/* refresh_mode: how a refresh deals with invalidations running while it faults the page in */
#define GPCRACE_REFRESH_RETRY 0    /* mainline hva_to_pfn_retry: retry while any invalidation runs or ran */
#define GPCRACE_REFRESH_WAIT  1    /* 2024 series: wait for pending invalidations that cover the page */

/* reader_mode */
#define GPCRACE_READER_HOST  0     /* each access: read side, check, access through khva, read side left */
#define GPCRACE_READER_GUEST 1     /* check, enter "guest mode", then access with no lock until kicked */

/* gpcrace_gpc_round.flags */
#define GPCRACE_ROUND_INVALIDATED  (1u << 0)  /* a notifier start completed: the oracle applies */
#define GPCRACE_ROUND_EAGAIN       (1u << 1)  /* a non-blockable start returned EAGAIN: its zap skipped */
#define GPCRACE_ROUND_LIVELOCK     (1u << 2)  /* a refresh retried more than the bound */
#define GPCRACE_ROUND_ZAPPED       (1u << 3)  /* a kernel operation ran and succeeded */
#define GPCRACE_ROUND_RESET        (1u << 4)  /* counters reset by the frame's new owner (content kept) */
#define GPCRACE_ROUND_UFFD_EVENT   (1u << 5)  /* the monitor consumed a UFFD_EVENT_REMOVE */
#define GPCRACE_ROUND_UNMAP        (1u << 6)  /* an unmap round: kvm_gpc_deactivate + activate */
#define GPCRACE_ROUND_DEFERRED     (1u << 7)  /* a start deferred its waiting part to the worker */

/* batch modes */
#define GPCRACE_BATCH_RACE      0
#define GPCRACE_BATCH_CALIBRATE 1  /* no invalidation: readers only measure their loop */

/* gpcrace_gpc_run_batch results (non-negative) */
#define GPCRACE_GPC_DONE 0
#define GPCRACE_GPC_HUNG 1         /* the watchdog fired: threads stopped, the run is unusable */

struct gpcrace_gpc_config {
    int32_t protocol;          /* index from gpcrace_gpc_protocol_index */
    uint32_t lock_kind;        /* GPCRACE_RWLOCK_SPIN / _SLEEPING, for rwlock-based protocols */
    uint32_t source;           /* GPCRACE_SRC_* */
    uint32_t backing;          /* GPCRACE_BACKING_* */
    uint32_t readers;          /* 1 .. GPCRACE_GPC_MAX_READERS */
    uint32_t pages;            /* pages per invalidation, from the cached page on */
    uint32_t stride;           /* K: accesses per reader per round */
    uint32_t access;           /* GPCRACE_ACCESS_* */
    uint32_t access_ns;        /* extra busy work inside each access (ns) */
    uint32_t nonblock;         /* 1: the invalidation may not sleep */
    uint32_t nonblock_policy;  /* GPCRACE_WAIT_SLEEP / _SPIN / _NONE (eagain) / _DEFER / _NOWAIT */
    uint32_t notifier;         /* GPCRACE_NOTIFIER_* */
    uint32_t invalidator;      /* GPCRACE_INVALIDATOR_* */
    uint32_t refresh_retry_bound;
    int32_t memfd;             /* shmem/hugetlb backing; -1 for anonymous memory */
    uint32_t inject_hang_round;/* test hook: 1-based round where reader 0 stalls inside its read section; 0 = never */
    uint32_t refresh_mode;     /* GPCRACE_REFRESH_* */
    uint32_t invalidations;    /* in-range invalidations per round, 1 .. GPCRACE_GPC_MAX_EVENTS */
    uint32_t invalidators;     /* threads that perform them: 1, or 2 (overlapping) */
    uint32_t unmap_every;      /* every Nth round's first event is kvm_gpc_deactivate + activate; 0: never */
    uint32_t preempt_rt;       /* 1: mn_invalidate_lock, gpc_lock, mmu_lock and gpc->lock sleep (PREEMPT_RT) */
    uint32_t reader_mode;      /* GPCRACE_READER_* */
    uint32_t storm_pages;      /* > 0: a storm thread invalidates an unrelated range of this many pages throughout */
    uint32_t pad0;
    int64_t storm_gap_ns;      /* the storm's pause between two invalidations */
    uint64_t guest_base;       /* address of the cached page (gfn 0), page aligned */
    uint64_t guest_bytes;      /* bytes mapped at guest_base that the run may touch */
    uint64_t remap_offset;     /* shmem remap: memfd offset of the alternate pages */
    int64_t delay_min_ns;      /* invalidator start delay, uniform in [min, max] */
    int64_t delay_max_ns;
    uint64_t seed;
    int64_t watchdog_ns;       /* a round that makes no progress for this long is a hang */
    int32_t cpus[GPCRACE_GPC_MAX_ACTORS]; /* see GPCRACE_GPC_MAX_ACTORS; -1 unpinned */
    uint32_t pad1;
};

struct gpcrace_gpc_round {
    uint64_t round;            /* 1-based, counted over the whole run */
    uint64_t elapsed_ns;       /* run start to the end of this round */
    int64_t delay_ns;          /* start delay the first invalidator used */
    uint64_t generation;       /* g_inv: the generation the cache had at the round start */
    uint64_t pfn_before;       /* frame of the cached page at the round start (0: unknown) */
    uint64_t pfn_after;        /* frame at the round end (0: unknown or not mapped) */
    uint64_t inv_ns;           /* first notifier start to last notifier end */
    uint64_t defer_ns;         /* defer: first deferred start to the worker's completion of the round's work */
    uint32_t flags;            /* GPCRACE_ROUND_* */
    uint32_t would_sleep;      /* notifier-path steps that had to wait in a sleeping primitive (non-blockable mode) */
    uint32_t readers_inside;   /* readers inside a read-side section just before the first invalidation (racy snapshot) */
    uint32_t refreshes;        /* successful refreshes by readers in this round */
    uint32_t refresh_retries;  /* retries of hva_to_pfn_retry in this round, every reader */
    int32_t zap_errno;         /* errno of a failed kernel operation, 0 when all succeeded */
    uint32_t events;           /* in-range starts that completed (invalidations and unmaps) */
    uint32_t eagains;          /* starts that returned -EAGAIN (their zap skipped) */
    uint32_t snap_mask;        /* generations (bit d: g_inv + d) whose snapshot S was taken */
    uint32_t final_gen;        /* the last generation published in the round (offset from g_inv) */
    uint32_t kicks;            /* guest mode: readers kicked out of guest mode */
    uint32_t storm_invalidations; /* invalidations of the unrelated range during the round */
    uint32_t max_retries;      /* the most retries a single refresh made */
    uint32_t pad;
};

struct gpcrace_gpc_reader_round {
    uint64_t snapshot[GPCRACE_GPC_GENS];    /* S[d]: counter of generation d in its frame, read right after the start that invalidated it */
    uint64_t tally[GPCRACE_GPC_GENS];       /* T[d]: accesses made with generation g_inv + d */
    uint64_t tally_other;                   /* accesses with any other generation: must be 0 */
    uint64_t counter_end[GPCRACE_GPC_GENS]; /* C[d]: counters of generation d at the round end, summed over every frame the harness can read */
    uint64_t loop_ns;                       /* the reader's K accesses, first to last */
    uint64_t kick_ns;                       /* guest mode: request to acknowledgement of the round's first kick (0: none) */
    uint32_t unmap_use;                     /* accesses through a khva gpc_unmap had torn down */
    uint32_t kicks;                         /* times this reader was kicked out of guest mode */
};

struct gpcrace_gpc_run;

/* Protocol index for an id ("rwlock"), or -1. */
int gpcrace_gpc_protocol_index(const char *id);
int gpcrace_gpc_protocol_count(void);
const char *gpcrace_gpc_protocol_id(int index);
/* Name of a source ("dontneed"), or NULL. */
const char *gpcrace_gpc_source_name(int source);
/* 1 when the source keeps the page content (the harness then resets the counters). */
int gpcrace_gpc_source_preserves_content(int source, int backing);

/* Creates a run (validates the config, sets up the GPC, uffd, signal handlers). Returns 0 and
 * the run in *out, or a negative errno with a one-line reason in err. */
int gpcrace_gpc_create(const struct gpcrace_gpc_config *cfg, struct gpcrace_gpc_run **out, char *err, uint64_t errlen);
/* Sets the start-delay range for the following rounds (after a calibration). 0 or -EINVAL. */
int gpcrace_gpc_set_delay_range(struct gpcrace_gpc_run *run, int64_t min_ns, int64_t max_ns);
/* Bytes one round occupies in a batch buffer. */
uint64_t gpcrace_gpc_round_bytes(uint32_t readers);
/*
 * Arms a batch of up to `rounds` rounds writing into buf (rounds * round_bytes). With the Java
 * invalidator, arm, start the Java thread, then call run_batch. Returns 0 or -EINVAL.
 */
int gpcrace_gpc_arm_batch(struct gpcrace_gpc_run *run, uint64_t rounds, void *buf, int mode);
/* Runs the armed batch: starts the actors, acts as the watchdog, joins them. Returns
 * GPCRACE_GPC_DONE, GPCRACE_GPC_HUNG, or a negative errno. */
int gpcrace_gpc_run_batch(struct gpcrace_gpc_run *run);
/* Rounds completed by the last batch. */
uint64_t gpcrace_gpc_batch_done(const struct gpcrace_gpc_run *run);
/* CPU an actor was seen running on in the last batch (-1 if not seen). */
int gpcrace_gpc_actor_cpu(const struct gpcrace_gpc_run *run, int actor);
/* Description of the last failure inside a batch (empty when none). */
const char *gpcrace_gpc_last_error(const struct gpcrace_gpc_run *run);
/* Ends the current batch as if the watchdog fired (Ctrl-C, a failed Java invalidator). */
void gpcrace_gpc_abort(struct gpcrace_gpc_run *run);
void gpcrace_gpc_destroy(struct gpcrace_gpc_run *run);

/*
 * The invalidator's steps, for --invalidator java (one invalidation per round; the native
 * invalidator calls the same):
 *   inv_begin:        round setup, start barrier, start delay. 1 = a round started,
 *                     0 = the batch is over, -ECANCELED.
 *   inv_notify_start: notifier start (hooks mode), then the snapshot. 0 = perform the kernel
 *                     operation now, 1 = skip it (EAGAIN or calibration), -ECANCELED.
 *   inv_finish:       after the operation (zap_errno: its errno or 0): reset, notifier end, end
 *                     barrier, the round's record. 0 or -ECANCELED.
 */
int gpcrace_gpc_inv_begin(struct gpcrace_gpc_run *run);
int gpcrace_gpc_inv_notify_start(struct gpcrace_gpc_run *run);
int gpcrace_gpc_inv_finish(struct gpcrace_gpc_run *run, int zap_errno);
/* The guest range one invalidation covers: address and length. */
uint64_t gpcrace_gpc_inv_addr(const struct gpcrace_gpc_run *run);
uint64_t gpcrace_gpc_inv_len(const struct gpcrace_gpc_run *run);

/*
 * Memory pressure (the OOM reaper's forward progress), native/src/pressure.c. The call forks a
 * child that joins the memory cgroup whose cgroup.procs Java names (the JVM stays where it is),
 * sets its limit to the child's own usage once everything is mapped plus headroom_bytes
 * (cgroup v1: memory.limit_in_bytes with oom_kill_disable written to oom_path, so an allocation
 * past the limit waits in the kernel; v2: memory.high, which throttles), and runs `readers`
 * threads that use the cache and fault in alloc_pages fresh pages per use: inside the read
 * section for the SRCU protocols (an SRCU read section may sleep, so KVM's readers fault in it),
 * after leaving it for the others (rwlock readers never allocate under the lock). The child's
 * main thread is the reaper: once a reader waits for memory it runs the non-blockable notifier
 * start (policy: GPCRACE_WAIT_SLEEP / _SPIN / _NONE / _DEFER) over the victim range (the cached
 * page is its first page), zaps it (MADV_DONTNEED: the memory the readers wait for) and runs the
 * end; eagain retries retry_gap_ns apart, max_retries attempts in all (oom_reap_task's
 * MAX_OOM_REAP_RETRIES and its sleep, scaled down), then gives the range up.
 *
 * The calling thread stays outside the cgroup and is the watchdog: a reaper still in its start
 * after stall_ns while a reader waits for memory is a reap-stall; it writes the wait chain
 * (reaper -> readers with their kernel wait channel -> the cgroup's usage, limit, under_oom) to
 * `chain` (the first one), then breaks the chain cleanly by raising the limit by the readers'
 * demand (the harness lends what the reaper would have freed: the readers finish, the reaper's
 * wait ends by itself, no access is made stale by the break); the limit is back before the next
 * round. A give-up (eagain) is broken the same way. The child is killed when no round ends for
 * watchdog_ns; `stop` (Java sets it on Ctrl-C) ends the run after the current round.
 * Returns the rounds done (>= 0) or a negative errno with a one-line reason in err.
 */
#define GPCRACE_PRESSURE_CHAIN_BYTES 4096
#define GPCRACE_PRESSURE_PATH 256
struct gpcrace_pressure_config {
    int32_t protocol;          /* index from gpcrace_gpc_protocol_index (not the userfaultfd ones, not pinned) */
    uint32_t lock_kind;
    uint32_t policy;           /* GPCRACE_WAIT_SLEEP / _SPIN / _NONE / _DEFER: the reaper is non-blockable */
    uint32_t readers;          /* 1 .. 8 */
    uint32_t rounds;
    uint32_t alloc_pages;      /* pages each reader faults in per use of the cache */
    uint64_t victim_bytes;     /* the range the reaper frees each round */
    uint64_t headroom_bytes;   /* the limit is the child's usage with everything mapped plus this */
    int64_t stall_ns;          /* a reaper wait past this with a reader waiting for memory is a reap-stall */
    int64_t retry_gap_ns;      /* eagain: the reaper's pause before it tries the range again */
    uint32_t max_retries;      /* eagain: attempts before the reaper gives the range up */
    uint32_t stop;             /* Java sets it (Ctrl-C): the run ends after the current round */
    int64_t watchdog_ns;       /* the child is killed when no round ends for this long */
    char procs_path[GPCRACE_PRESSURE_PATH]; /* cgroup.procs of the cgroup to run in */
    char usage_path[GPCRACE_PRESSURE_PATH]; /* memory.usage_in_bytes (v1) / memory.current (v2) */
    char limit_path[GPCRACE_PRESSURE_PATH]; /* memory.limit_in_bytes (v1) / memory.high (v2) */
    char oom_path[GPCRACE_PRESSURE_PATH];   /* memory.oom_control (v1): oom_kill_disable, under_oom; "" for v2 */
    int32_t cpus[GPCRACE_GPC_MAX_ACTORS]; /* [0] reaper, [1..R] readers, [R+1] defer worker; -1 unpinned */
    uint32_t pad;
};

struct gpcrace_pressure_round {
    uint64_t round;
    uint64_t wait_ns;          /* the reaper's notifier start, all attempts and their gaps */
    uint64_t free_ns;          /* reaper start to the zap's return (memory released); 0 when given up */
    uint64_t released_bytes;   /* cgroup usage right before the zap minus right after (readers may allocate meanwhile) */
    uint64_t usage_before;     /* cgroup usage when the reaper started */
    uint64_t limit_bytes;      /* the cgroup's limit when the reaper started */
    uint64_t defer_ns;         /* defer: first deferral to the worker's completion */
    uint32_t flags;            /* GPCRACE_PRESSURE_* */
    uint32_t attempts;         /* notifier starts (eagain retries + 1) */
    uint32_t would_sleep;
    uint32_t readers_waiting;  /* readers waiting for memory when the reaper started */
    uint64_t stale;            /* accesses with the invalidated generation after the start returned */
    uint64_t accesses;         /* readers' accesses in the round */
};
#define GPCRACE_PRESSURE_STALL    (1u << 0)  /* the reaper waited past stall_ns while readers waited for memory: reap-stall */
#define GPCRACE_PRESSURE_BROKEN   (1u << 1)  /* the watchdog lent memory to break the chain */
#define GPCRACE_PRESSURE_GAVE_UP  (1u << 2)  /* eagain: every attempt refused; the range was not freed */
#define GPCRACE_PRESSURE_EAGAIN   (1u << 3)  /* at least one attempt returned -EAGAIN */
#define GPCRACE_PRESSURE_DEFERRED (1u << 4)  /* the start queued its waiting part to the defer worker */
#define GPCRACE_PRESSURE_OOM      (1u << 5)  /* the cgroup reported under_oom when the reaper started (v1) */
#define GPCRACE_PRESSURE_WAITED   (1u << 6)  /* a reader waited for memory when the reaper started: the round had pressure */

int64_t gpcrace_gpc_pressure_run(const struct gpcrace_pressure_config *cfg, struct gpcrace_pressure_round *rounds,
                                 char *chain, uint64_t chainlen, char *err, uint64_t errlen);

/* ------------------------------------------------------------------------------------- probe */

/*
 * Latency probes (`gpcrace latency`). Java maps the memory, fills a
 * gpcrace_probe_cfg and hands over a sample buffer; gpcrace_probe_run runs n timed iterations
 * of one probe in C and writes one signed ns value per iteration and series into
 * samples[series * n + i] (no allocation per sample). Java records them into preallocated
 * HdrHistograms. Warm-up is a run whose samples Java discards.
 *
 * Timing uses the probe clock chosen with gpcrace_probe_clock_use: the TSC (start
 * "lfence; rdtsc", end "rdtscp; lfence"), converted to ns with a frequency calibrated against
 * CLOCK_MONOTONIC, or CLOCK_MONOTONIC itself. Nothing is subtracted from any sample.
 *
 * Return value: n on success, or -errno with out->err_call naming the call that failed
 * (gpcrace_probe_call_name). The measuring thread (the caller) is pinned to cfg->cpu for the
 * call and its affinity restored afterwards; helper threads (spinners, reader, monitor, waiter)
 * are created per call, pinned to cfg->helper_cpus, and joined before the call returns.
 */
#define GPCRACE_PROBE_MAX_HELPERS 256
#define GPCRACE_PROBE_MAX_SERIES 3

enum gpcrace_probe_id {
    GPCRACE_PROBE_CLOCK_READS = 0,  /* variant: clock id; series: delta between consecutive reads */
    GPCRACE_PROBE_TSC_SKEW,         /* series: helper minus caller TSC seen across, caller minus helper */
    GPCRACE_PROBE_MADVISE,          /* source, mode; helpers: spinners; series: operation (+ refault) */
    GPCRACE_PROBE_SHOOTDOWN,        /* helper: reader; series: visibility, madvise return, return - last stale read */
    GPCRACE_PROBE_REFAULT,          /* length: bytes zapped and touched; series: first touch */
    GPCRACE_PROBE_UFFD_MISSING,     /* variant: resolve; helper: monitor; series: round trip, fault->monitor, monitor->resume */
    GPCRACE_PROBE_UFFD_REMOVE,      /* helper: monitor; series: madvise blocked, madvise entry->monitor has the event */
    GPCRACE_PROBE_FUTEX,            /* helper: waiter; delay_ns: settle; series: wake-to-run, FUTEX_WAKE call */
    GPCRACE_PROBE_BRIDGE_C,         /* variant: call; batch: calls per sample; series: ns per call (CLOCK_MONOTONIC) */
    GPCRACE_PROBE_DRAIN,            /* variant: drain kind; helpers: readers; delay_ns: read-side hold; series: notifier start */
    GPCRACE_PROBE_COUNT
};

enum gpcrace_probe_clock_id {
    GPCRACE_PCLOCK_RDTSC = 0, GPCRACE_PCLOCK_RDTSCP, GPCRACE_PCLOCK_LFENCE_RDTSC, GPCRACE_PCLOCK_MONOTONIC,
    GPCRACE_PCLOCK_COUNT
};

/* Invalidation sources of the madvise probe (the operation timed). */
enum gpcrace_probe_source {
    GPCRACE_PSRC_DONTNEED = 0, GPCRACE_PSRC_FREE, GPCRACE_PSRC_REMOVE, GPCRACE_PSRC_PAGEOUT, GPCRACE_PSRC_COLD,
    GPCRACE_PSRC_MPROTECT,   /* mprotect(PROT_READ); made writable again untimed (op) or timed (op+refault) */
    GPCRACE_PSRC_REMAP,      /* mmap(MAP_FIXED) of the same range (anonymous, or the memfd at cfg->offset) */
    GPCRACE_PSRC_COLLAPSE,   /* MADV_COLLAPSE of 4 KiB pages into 2 MiB pages; re-split untimed */
    GPCRACE_PSRC_COUNT
};

#define GPCRACE_PMODE_OP 0          /* the operation alone (range populated untimed before it) */
#define GPCRACE_PMODE_OP_REFAULT 1  /* the operation and a write touch of every page of the range */

#define GPCRACE_PFLAG_THP_FLIP 1        /* collapse: toggle MADV_NOHUGEPAGE around the re-split (THP "always") */
#define GPCRACE_PFLAG_BROKEN_CONTROL 2  /* shootdown negative control: "zap" by a late store after return */
#define GPCRACE_PFLAG_EMPTY_RANGE 4     /* madvise: the same call with length 0, which returns at once: the syscall's boundary alone */

enum gpcrace_probe_resolve { GPCRACE_PRESOLVE_COPY = 0, GPCRACE_PRESOLVE_ZEROPAGE };
/* The notifier-start step the drain probe times (the race engine's own primitives). */
enum gpcrace_probe_drain_kind {
    GPCRACE_PDRAIN_RWLOCK_SPIN = 0,   /* sync_rwlock_write_lock of a GPCRACE_RWLOCK_SPIN lock */
    GPCRACE_PDRAIN_RWLOCK_SLEEPING,   /* the same, GPCRACE_RWLOCK_SLEEPING (PREEMPT_RT rwlock_t) */
    GPCRACE_PDRAIN_SRCU               /* sync_srcu_synchronize, GPCRACE_WAIT_SLEEP (seqcount-srcu) */
};
enum gpcrace_probe_call_kind { GPCRACE_PBRIDGE_NOOP = 0, GPCRACE_PBRIDGE_GETPID, GPCRACE_PBRIDGE_MADVISE };

/* Calls a probe can fail in (out->err_call). */
enum gpcrace_probe_call {
    GPCRACE_PCALL_NONE = 0, GPCRACE_PCALL_MADVISE, GPCRACE_PCALL_MPROTECT, GPCRACE_PCALL_MMAP,
    GPCRACE_PCALL_PTHREAD_CREATE, GPCRACE_PCALL_SETAFFINITY, GPCRACE_PCALL_USERFAULTFD, GPCRACE_PCALL_UFFDIO_API,
    GPCRACE_PCALL_UFFDIO_REGISTER, GPCRACE_PCALL_UFFDIO_COPY, GPCRACE_PCALL_UFFDIO_ZEROPAGE, GPCRACE_PCALL_READ,
    GPCRACE_PCALL_POLL, GPCRACE_PCALL_EVENTFD, GPCRACE_PCALL_FUTEX, GPCRACE_PCALL_MINCORE, GPCRACE_PCALL_ARGUMENT,
    GPCRACE_PCALL_CLOCK, GPCRACE_PCALL_SYNC, GPCRACE_PCALL_COUNT
};

struct gpcrace_probe_cfg {
    int64_t addr;      /* start of the range (mapped by Java) */
    int64_t length;    /* bytes per operation */
    int64_t offset;    /* file offset of addr in fd (remap of file memory) */
    int64_t delay_ns;  /* futex: time the waiter is given to fall asleep */
    int64_t batch;     /* bridge: calls per sample */
    int32_t source;    /* gpcrace_probe_source */
    int32_t mode;      /* GPCRACE_MODE_* */
    int32_t fd;        /* memfd behind the range, or -1 */
    int32_t variant;   /* clock id, resolve kind or call kind */
    int32_t flags;     /* GPCRACE_PFLAG_* */
    int32_t cpu;       /* CPU of the measuring thread, -1: not pinned */
    int32_t nhelpers;  /* helper threads (spinners for madvise) */
    int32_t helper_cpus[GPCRACE_PROBE_MAX_HELPERS]; /* -1: not pinned */
};

struct gpcrace_probe_out {
    int64_t done;        /* iterations recorded */
    int64_t resident;    /* madvise: pages still resident right after one more operation, spinners stopped */
    int64_t anomalies;   /* shootdown: stale reads begun after madvise returned; futex: waiter not asleep,
                            retried; drain: iterations where the step had to wait for readers */
    int64_t min_gap_ns;  /* shootdown: smallest (madvise return - last stale read start); clock: resolution */
    int64_t elapsed_ns;  /* span of the timed loop on the probe clock */
    int32_t cpu;         /* CPU the measuring thread ended on */
    int32_t err_call;    /* gpcrace_probe_call when the result is negative */
    int32_t err_errno;
    int32_t pad;
};

/* TSC ticks per second measured against CLOCK_MONOTONIC over window_ns; 0 when there is no usable TSC. */
int64_t gpcrace_probe_tsc_calibrate(int64_t window_ns);
/* Selects the probe clock: tsc_hz > 0 the TSC at that frequency, 0 CLOCK_MONOTONIC. */
int gpcrace_probe_clock_use(int64_t tsc_hz);
/* Now on the probe clock, in ns (TSC: ns since an arbitrary origin). */
int64_t gpcrace_probe_clock_now_ns(void);
/* 1 when the CPU has rdtscp (otherwise end stamps use lfence;rdtsc). */
int gpcrace_probe_has_rdtscp(void);
/* Runs one probe; see above. */
int64_t gpcrace_probe_run(int probe, const struct gpcrace_probe_cfg *cfg, int64_t *samples, int64_t n,
                          struct gpcrace_probe_out *out);
/* Number of series a probe writes; -1 for an unknown probe. */
int gpcrace_probe_series(int probe);
/* "madvise" etc., NULL for an unknown id. */
const char *gpcrace_probe_name(int probe);
/* "madvise" etc. for a gpcrace_probe_call, NULL when unknown. */
const char *gpcrace_probe_call_name(int call);
/*
 * The plain loop the apparatus is compared with (will-it-scale tlb_flush1):
 * n x { *p = 1; madvise(p, 4096, MADV_DONTNEED); } on cpu (-1: not pinned; affinity restored).
 * Returns CLOCK_MONOTONIC ns, or -errno.
 */
int64_t gpcrace_probe_plain_dontneed(int64_t addr, int64_t n, int cpu);


/* ------------------------------------------------------------------------------------- kernel */

/*
 * Long-term references to a page (the pin scenario) and the kvm-pvclock storm.
 * Every function returns >= 0 on success and -errno on failure (nothing else is touched), so the
 * Java side can name the call and the error; no function here prints or exits.
 */

/*
 * The kvmclock page KVM writes through the vCPU's pv_time GPC. Not in the uapi headers: this is
 * arch/x86/include/asm/pvclock-abi.h, a guest ABI that cannot change. Java reads it from guest
 * memory with Layouts.PVCLOCK_VCPU_TIME_INFO.
 */
struct gpcrace_pvclock_vcpu_time_info {
    uint32_t version;        /* odd while KVM writes, even after; 0 = never written */
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;    /* ns of guest time at tsc_timestamp */
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;           /* bit 0 TSC stable, bit 1 guest stopped (KVM_KVMCLOCK_CTRL) */
    uint8_t pad[2];
};

/* pipe2(fds, O_CLOEXEC): fds[0] is the read end, fds[1] the write end. */
int gpcrace_pin_pipe(int32_t *fds);
/* vmsplice of [addr, addr+len) into the pipe's write end, no SPLICE_F_GIFT: the pipe then holds
 * references to the frames behind the range. Returns the number of bytes spliced. */
int64_t gpcrace_pin_vmsplice(int pipe_wr, uint64_t addr, uint64_t len);

/*
 * A minimal io_uring, set up with raw system calls (no liburing). Java allocates the struct
 * and reads fd/sq_entries/cq_entries/features; the rest is the helper's private bookkeeping.
 */
struct gpcrace_uring {
    int32_t fd;
    uint32_t sq_entries;
    uint32_t cq_entries;
    uint32_t features;
    /* private: ring mappings */
    uint64_t sq_ring, sq_ring_len, cq_ring, cq_ring_len, sqes, sqes_len;
    /* private: offsets inside the rings (io_sqring_offsets / io_cqring_offsets) */
    uint32_t sq_head, sq_tail, sq_mask, sq_array, cq_head, cq_tail, cq_mask, cqes;
};
/* io_uring_setup + the three ring mmaps. On failure nothing stays open. */
int gpcrace_pin_uring_open(struct gpcrace_uring *u, uint32_t entries);
/* IORING_REGISTER_BUFFERS of one buffer (index 0): FOLL_LONGTERM pins of its frames. */
int gpcrace_pin_uring_register(struct gpcrace_uring *u, uint64_t addr, uint64_t len);
/* IORING_UNREGISTER_BUFFERS: drops the pins. */
int gpcrace_pin_uring_unregister(struct gpcrace_uring *u);
/* One IORING_OP_WRITE_FIXED from registered buffer 0 ([addr, addr+len) inside it) to fd at
 * offset, waited for: what the pinned frames hold, copied out. Returns the bytes written. */
int64_t gpcrace_pin_uring_write_fixed(struct gpcrace_uring *u, int fd, uint64_t addr, uint64_t len, uint64_t offset);
/* Unmaps the rings and closes the fd (registered buffers go with it). Safe on a closed ring. */
int gpcrace_pin_uring_close(struct gpcrace_uring *u);

/*
 * The kvm-pvclock --storm actor: madvise(advice) of [addr, addr + pages*4096), repeated until
 * `stop` becomes non-zero; with `touch`, every page is written first (the zap then has frames to
 * free, but the writes happen outside the invalidation). Each madvise is one MMU-notifier
 * start/end pair on a range no memslot covers: it keeps KVM's mn_active_invalidate_count non-zero
 * and makes hva_to_pfn_retry() loop. Java maps the range and owns the struct.
 */
struct gpcrace_storm {
    uint64_t addr;
    uint64_t pages;
    int32_t advice;
    uint32_t stop;           /* written by Java (volatile), read here with acquire */
    uint64_t invalidations;  /* out: completed madvise calls */
    int32_t err;             /* out: errno of the madvise that failed, else 0 */
    uint32_t touch;          /* non-zero: write every page before each madvise */
};
/* Runs the loop on the calling thread; 0 when stopped, -errno when a madvise failed. */
int gpcrace_kvm_storm(struct gpcrace_storm *s);

/*
 * kvm-pvclock --source fork: fork(2), the parent writes one byte at addr (breaking the COW the
 * fork made), the child (signals blocked, waiting on a pipe, no JVM code) is released and reaped.
 * Returns CLOCK_MONOTONIC (ns) right after the parent's write, when the invalidations are over
 * (the child is reaped after), or -errno.
 */
int64_t gpcrace_kvm_fork_cow(uint64_t addr);

/* The kick test: a do-nothing handler for sig without SA_RESTART (0 or -errno), so a signal
 * sent with gpcrace_kvm_kick to a thread blocked in KVM_RUN makes the ioctl return EINTR. */
int gpcrace_kvm_kick_install(int sig);
/* tgkill(getpid(), tid, sig): 0 or -errno. */
int gpcrace_kvm_kick(int32_t tid, int sig);
/* The calling thread's id (gettid), to be kicked and to be found in the trace. */
int32_t gpcrace_gettid(void);

/*
 * memslot-fairness (modelled on the memslot-update wait of the thread "[PATCH v2 09/10] KVM:
 * Don't take mmu_lock for range invalidation unless necessary", April 2021): N invalidator
 * threads enter and leave an "invalidation" with a duty cycle, and a memslot updater waits for
 * them, two ways:
 *   UNFAIR_COUNT  invalidators inc/dec a count-wait (KVM's mn_active_invalidate_count); the
 *                 updater sleeps until the count is zero (kvm_swap_active_memslots' rcuwait):
 *                 a stream of overlapping invalidations can keep it waiting indefinitely;
 *   FAIR_RWSEM    invalidators take the race engine's sleeping rwlock for read, the updater
 *                 takes it for write: once the updater has announced itself new invalidations
 *                 queue behind it, so it waits only for the ones already inside.
 * Java fills the parameters, calls gpcrace_fairness_init, then runs each actor on its own
 * thread; `stop` (the abort word of both sync objects) ends every loop and wait. Times are
 * CLOCK_MONOTONIC ns, the time base of Java's System.nanoTime.
 */
#define GPCRACE_FAIRNESS_UNFAIR_COUNT 0
#define GPCRACE_FAIRNESS_FAIR_RWSEM 1
struct gpcrace_fairness {
    uint32_t variant;
    uint32_t stop;              /* set by Java (volatile) to end the run */
    uint32_t invalidators;      /* N, for staggered phases */
    uint32_t stagger;           /* non-zero: invalidator i runs i*period/N behind invalidator 0 */
    uint64_t period_ns;         /* one invalidator's cycle */
    uint64_t busy_ns;           /* inside the invalidation per cycle: duty = busy/period */
    uint64_t start_ns;          /* CLOCK_MONOTONIC origin of every invalidator's schedule */
    uint64_t updater_gap_ns;    /* the updater's mean pause between two updates (uniform in [gap/2, 3gap/2)) */
    int64_t wait_limit_ns;      /* UNFAIR_COUNT: a wait gives up after this (recorded as censored) */
    uint64_t sections;          /* out: invalidations completed, all invalidators */
    uint64_t sync_private[9];   /* the helper's count-wait and rwlock (native/src/fairness.h) */
};
/* Initializes the count-wait and the rwlock (sleeping kind) with `stop` as their abort word. */
void gpcrace_fairness_init(struct gpcrace_fairness *f);
/* One invalidator's loop (index 0..N-1) until stop; 0, or -errno of a failed wait. */
int gpcrace_fairness_invalidator(struct gpcrace_fairness *f, uint32_t index);
/*
 * The updater: up to n updates, each after updater_gap_ns, until stop or budget_ns is spent.
 * waits[i] = ns the update waited; negative (-ns) when the wait gave up (UNFAIR_COUNT past
 * wait_limit_ns) or was cancelled by stop: a censored sample. Returns the number of updates.
 */
int64_t gpcrace_fairness_updater(struct gpcrace_fairness *f, int64_t *waits, int64_t n, int64_t budget_ns);

/* ------------------------------------------------------------------------------------- fault */
/*
 * fault-in-reader (native/src/fault_reader*.c), after the rcu list thread on page faults inside
 * RCU read-side critical sections during kernel page migration (January 2025): reader threads
 * inside a read-side critical section touch pages that a migrator moves. A moving page is
 * unmapped in a userfaultfd-registered range, so the reader's access really faults and waits in
 * the kernel; the migrator copies the content into a new frame and completes the fault
 * (UFFDIO_COPY), then waits for a grace period before it frees the old frame. Pages move in
 * batches, unmap phase then move phase, like the kernel's migrate_pages_batch().
 *
 * Variants:
 *   SPIN_IN_FAULT  the thread's handler: the fault waits for the migration inside the reader, while
 *                  the migrator's grace period (after page i) waits for that reader (blocked on
 *                  page i+1): the wait cycle reader -> fault -> migrator -> grace period -> reader
 *   WAIT_OUTSIDE   the fault is delivered as SIGBUS (UFFD_FEATURE_SIGBUS: pagefault_disable()),
 *                  the reader leaves its read-side section, waits for the page, and retries
 *   PREALLOCATE    each new page is in place (unmap and UFFDIO_COPY back to back) before the
 *                  migrator waits for any grace period; one grace period per batch
 *   SRCU_DOMAIN    readers of migratable pages use a separate SRCU-like domain (the project's
 *                  SRCU); the global grace period does not wait for them; old frames are freed
 *                  after that domain's grace period by a reclaimer thread (call_srcu)
 *   SRCU_BUSTED    negative control: SRCU_DOMAIN's migrator, but the readers use the global domain
 * RCU implementations of the global domain: liburcu's memb or mb flavor (dlopen'd on demand:
 * liburcu-memb.so.8 / liburcu-mb.so.8, Debian's liburcu8), or the project's SRCU used as one.
 *
 * A watchdog thread reads the userfaultfd's fault messages (with the faulting thread id) and
 * checks for the wait cycle: a reader inside a read-side section that began before the
 * migrator's current grace period, blocked in a fault on a page the migrator completes only
 * after that grace period. It records the cycle, breaks it by completing that fault itself
 * (UFFDIO_COPY of the saved content), and the run goes on. A grace period longer than
 * stall_bound_ns that ends by itself is a stall; one longer than hang_ns with no cycle seen (the
 * detector off) is broken the same way and recorded as a hang.
 */
#define GPCRACE_FR_SPIN_IN_FAULT 0
#define GPCRACE_FR_WAIT_OUTSIDE  1
#define GPCRACE_FR_PREALLOCATE   2
#define GPCRACE_FR_SRCU_DOMAIN   3
#define GPCRACE_FR_SRCU_BUSTED   4
#define GPCRACE_FR_VARIANTS      5

#define GPCRACE_FR_RCU_URCU_MEMB 0
#define GPCRACE_FR_RCU_URCU_MB   1
#define GPCRACE_FR_RCU_GPCRACE   2

#define GPCRACE_FR_MAX_READERS 16
#define GPCRACE_FR_MAX_PAGES   32

/* a batch's outcome flags (batch_flags[i]) */
#define GPCRACE_FR_MIGRATED (1u << 0)  /* every page moved, no FORBIDDEN flag below */
#define GPCRACE_FR_STALL    (1u << 1)  /* a grace period took longer than stall_bound_ns and ended by itself */
#define GPCRACE_FR_DEADLOCK (1u << 2)  /* the watchdog saw the wait cycle and broke it */
#define GPCRACE_FR_HANG     (1u << 3)  /* a grace period passed hang_ns with no cycle seen: broken anyway */
#define GPCRACE_FR_CORRUPT  (1u << 4)  /* a reader read content that is not the page's */

/* sample series, samples[series * sample_cap + i], ns */
#define GPCRACE_FR_S_GP        0  /* the migrator's grace periods (synchronize_rcu) */
#define GPCRACE_FR_S_DOMAIN_GP 1  /* SRCU_DOMAIN: the separate domain's grace periods */
#define GPCRACE_FR_S_FAULT     2  /* a reader's wait for a page that was unmapped when it touched it */
#define GPCRACE_FR_S_DETECT    3  /* the cycle closed -> the watchdog saw it */
#define GPCRACE_FR_S_BREAK     4  /* the watchdog broke it -> the grace period ended */
#define GPCRACE_FR_SERIES      5

/* the capability a run found missing (result.missing) */
#define GPCRACE_FR_MISSING_URCU    1
#define GPCRACE_FR_MISSING_UFFD    2
#define GPCRACE_FR_MISSING_FEATURE 3

struct gpcrace_fr_config {
    uint32_t variant;          /* GPCRACE_FR_* */
    uint32_t rcu;              /* GPCRACE_FR_RCU_* */
    uint32_t readers;          /* 1 .. GPCRACE_FR_MAX_READERS */
    uint32_t pages;            /* pages per batch, 2 .. GPCRACE_FR_MAX_PAGES */
    uint32_t detect;           /* 1: the watchdog detects and breaks the cycle; 0: only hang_ns */
    uint32_t stop;             /* set by Java (volatile) to end the run at the next batch */
    int64_t batches;           /* batches to migrate; batch_flags holds this many */
    int64_t duration_ns;       /* or until this much time has passed (<= 0: no limit) */
    int64_t stall_bound_ns;
    int64_t hang_ns;
    int64_t gap_ns;            /* the migrator's pause between two batches (readers run meanwhile) */
    int64_t sample_cap;        /* samples kept per series */
    uint64_t samples;          /* int64_t[GPCRACE_FR_SERIES * sample_cap] */
    uint64_t batch_flags;      /* uint32_t[batches] */
    int32_t cpus[GPCRACE_FR_MAX_READERS + 2]; /* [0] migrator, [1..readers] readers, [readers+1] watchdog; -1 unpinned */
};

struct gpcrace_fr_result {
    int64_t batches;           /* batches done */
    int64_t pages_moved;
    int64_t sections;          /* read-side sections completed, all readers */
    int64_t uffd_faults;       /* fault messages the watchdog read */
    int64_t sigbus;            /* faults delivered as SIGBUS (WAIT_OUTSIDE) */
    int64_t retries;           /* sections left to wait outside and begun again */
    int64_t corrupt_reads;
    int64_t elapsed_ns;
    int64_t first_deadlock_ns; /* run start -> the first cycle seen, -1: none */
    int64_t first_deadlock_batch; /* 1-based, 0: none */
    int64_t counts[GPCRACE_FR_SERIES]; /* samples taken per series (only sample_cap kept) */
    int32_t missing;           /* GPCRACE_FR_MISSING_*, 0: nothing missing */
    int32_t err;               /* errno of a failure, 0 */
    char rcu_impl[160];        /* the RCU implementation used: library and path */
    char unmap[64];            /* how a page is unmapped: "UFFDIO_MOVE" or "MADV_DONTNEED" */
    char cycle[512];           /* the first wait cycle, as printed */
    char error[256];           /* why the run failed or what is missing */
};

/* Runs the scenario on threads of its own; returns when done. 0, or -errno (out->error says why). */
int gpcrace_fr_run(struct gpcrace_fr_config *cfg, struct gpcrace_fr_result *out);

#ifdef __cplusplus
}
#endif
#endif /* GPCRACE_H */
