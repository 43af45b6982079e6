/*
 * gpcrace.h - the one C ABI of libgpcrace.so.
 *
 * Every function Java calls and every struct that crosses the boundary is declared here.
 * Structs are described at run time by the ABI self-description (gpcrace_abi_*), which both
 * Java bridges check against their layouts before they make any other call.
 *
 * Sections, one per domain (each owns its own .c files under native/src/):
 *   core     version, errno names, the ABI description, a no-op for bridge overhead
 *   sync     futex, barriers, rwlocks, seqcount, SRCU, count-wait          (race engine)
 *   gpc      the userspace GPC, protocol variants, invalidation, rounds      (race engine)
 *   probe    latency probes and the clock                                    (latency)
 *   kernel   pin, kvm helpers                                                (real kernel)
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

/* ------------------------------------------------------------------------------------- sync */

/* ------------------------------------------------------------------------------------- gpc */

/* ------------------------------------------------------------------------------------- probe */

/*
 * Latency probes (`gpcrace latency`, DESIGN.md section 4.5). Java maps the memory, fills a
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
    GPCRACE_PROBE_COUNT
};

enum gpcrace_probe_clock_id {
    GPCRACE_CLOCK_RDTSC = 0, GPCRACE_CLOCK_RDTSCP, GPCRACE_CLOCK_LFENCE_RDTSC, GPCRACE_CLOCK_MONOTONIC,
    GPCRACE_CLOCK_COUNT
};

/* Invalidation sources of the madvise probe (the operation timed). */
enum gpcrace_probe_source {
    GPCRACE_SRC_DONTNEED = 0, GPCRACE_SRC_FREE, GPCRACE_SRC_REMOVE, GPCRACE_SRC_PAGEOUT, GPCRACE_SRC_COLD,
    GPCRACE_SRC_MPROTECT,   /* mprotect(PROT_READ); made writable again untimed (op) or timed (op+refault) */
    GPCRACE_SRC_REMAP,      /* mmap(MAP_FIXED) of the same range (anonymous, or the memfd at cfg->offset) */
    GPCRACE_SRC_COLLAPSE,   /* MADV_COLLAPSE of 4 KiB pages into 2 MiB pages; re-split untimed */
    GPCRACE_SRC_COUNT
};

#define GPCRACE_MODE_OP 0          /* the operation alone (range populated untimed before it) */
#define GPCRACE_MODE_OP_REFAULT 1  /* the operation and a write touch of every page of the range */

#define GPCRACE_FLAG_THP_FLIP 1        /* collapse: toggle MADV_NOHUGEPAGE around the re-split (THP "always") */
#define GPCRACE_FLAG_BROKEN_CONTROL 2  /* shootdown negative control: "zap" by a late store after return */

enum gpcrace_probe_resolve { GPCRACE_RESOLVE_COPY = 0, GPCRACE_RESOLVE_ZEROPAGE };
enum gpcrace_probe_call_kind { GPCRACE_CALL_NOOP = 0, GPCRACE_CALL_GETPID, GPCRACE_CALL_MADVISE };

/* Calls a probe can fail in (out->err_call). */
enum gpcrace_probe_call {
    GPCRACE_PCALL_NONE = 0, GPCRACE_PCALL_MADVISE, GPCRACE_PCALL_MPROTECT, GPCRACE_PCALL_MMAP,
    GPCRACE_PCALL_PTHREAD_CREATE, GPCRACE_PCALL_SETAFFINITY, GPCRACE_PCALL_USERFAULTFD, GPCRACE_PCALL_UFFDIO_API,
    GPCRACE_PCALL_UFFDIO_REGISTER, GPCRACE_PCALL_UFFDIO_COPY, GPCRACE_PCALL_UFFDIO_ZEROPAGE, GPCRACE_PCALL_READ,
    GPCRACE_PCALL_POLL, GPCRACE_PCALL_EVENTFD, GPCRACE_PCALL_FUTEX, GPCRACE_PCALL_MINCORE, GPCRACE_PCALL_ARGUMENT,
    GPCRACE_PCALL_CLOCK, GPCRACE_PCALL_COUNT
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
    int32_t flags;     /* GPCRACE_FLAG_* */
    int32_t cpu;       /* CPU of the measuring thread, -1: not pinned */
    int32_t nhelpers;  /* helper threads (spinners for madvise) */
    int32_t helper_cpus[GPCRACE_PROBE_MAX_HELPERS]; /* -1: not pinned */
};

struct gpcrace_probe_out {
    int64_t done;        /* iterations recorded */
    int64_t resident;    /* madvise: pages still resident right after one more operation, spinners stopped */
    int64_t anomalies;   /* shootdown: stale reads begun after madvise returned; futex: waiter not asleep, retried */
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

#ifdef __cplusplus
}
#endif
#endif /* GPCRACE_H */
