/*
 * Shared by the probe_*.c files: the probe clock, pinning, helper threads, error recording.
 * Not part of the ABI (Java sees only gpcrace.h).
 */
#ifndef GPCRACE_PROBE_COMMON_H
#define GPCRACE_PROBE_COMMON_H
#define _GNU_SOURCE
#include "gpcrace.h"
#include "clock.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>

#define PROBE_PAGE 4096L
#define PROBE_HUGE (2L << 20)

/* The probe clock: TSC ticks (scaled by ns_per_tick) or CLOCK_MONOTONIC ns (scale 1). */
struct probe_clock {
    int use_tsc;
    int rdtscp;
    double ns_per_tick;
};
extern struct probe_clock probe_clk;

/* Stamps on the probe clock, in its own units; probe_ns converts a difference of two. */
static inline uint64_t probe_begin(void) { return probe_clk.use_tsc ? tsc_begin() : (uint64_t)mono_ns(); }
static inline uint64_t probe_end(void) { return probe_clk.use_tsc ? tsc_end(probe_clk.rdtscp) : (uint64_t)mono_ns(); }
static inline int64_t probe_ns(int64_t ticks)
{
    if (!probe_clk.use_tsc) return ticks;
    double ns = (double)ticks * probe_clk.ns_per_tick;
    return (int64_t)(ns + (ns >= 0 ? 0.5 : -0.5));
}

static inline void probe_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __asm__ volatile("pause" ::: "memory");
#else
    __asm__ volatile("" ::: "memory");
#endif
}

/* Spin for ns on the probe clock's time base (CLOCK_MONOTONIC, the cheapest portable one). */
static inline void probe_spin_ns(int64_t ns)
{
    int64_t end = mono_ns() + ns;
    while (mono_ns() < end) probe_pause();
}

#define LOAD_ACQ(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define STORE_REL(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

/* Records the failing call in out and returns -errno (errno read at the call site). */
static inline int64_t probe_fail(struct gpcrace_probe_out *out, int call, int err)
{
    out->err_call = call;
    out->err_errno = err;
    return -(int64_t)err;
}

/* Pins the calling thread to cpu (>= 0), saving its previous mask in old. Returns 0 or errno. */
int probe_pin(int cpu, cpu_set_t *old, int *pinned);
void probe_unpin(const cpu_set_t *old, int pinned);

/* Starts a thread that pins itself to cpu (-1: anywhere) before running fn. Returns 0 or errno. */
int probe_thread_start(pthread_t *t, int cpu, void *(*fn)(void *), void *arg);

/*
 * Where the measured mm was active: every probe thread (the measuring thread in
 * gpcrace_probe_run, each helper at its start and end) records the CPU it runs on, and counts
 * itself while it lives. The actor process reports both after each call (the evidence that no
 * other thread shared the mm); take returns what was seen since the last take and resets it.
 */
#define PROBE_CPU_WORDS 16
void probe_cpu_seen(void);
void probe_cpus_take(uint64_t out[PROBE_CPU_WORDS]);
/* Most probe threads alive at once since the last take (the measuring thread counts as 1). */
int probe_threads_take(void);

/* Writes one byte per 4 KiB page of [addr, addr+len): faults every page in for writing. */
static inline void probe_touch(char *addr, int64_t len)
{
    for (int64_t off = 0; off < len; off += PROBE_PAGE) *(volatile char *)(addr + off) = 1;
}

/* The probes, one per file (registered in probe_run.c). */
typedef int64_t (*probe_fn)(const struct gpcrace_probe_cfg *cfg, int64_t *samples, int64_t n,
                            struct gpcrace_probe_out *out);
int64_t probe_clock_reads(const struct gpcrace_probe_cfg *, int64_t *, int64_t, struct gpcrace_probe_out *);
int64_t probe_tsc_skew(const struct gpcrace_probe_cfg *, int64_t *, int64_t, struct gpcrace_probe_out *);
int64_t probe_madvise(const struct gpcrace_probe_cfg *, int64_t *, int64_t, struct gpcrace_probe_out *);
int64_t probe_shootdown(const struct gpcrace_probe_cfg *, int64_t *, int64_t, struct gpcrace_probe_out *);
int64_t probe_refault(const struct gpcrace_probe_cfg *, int64_t *, int64_t, struct gpcrace_probe_out *);
int64_t probe_uffd_missing(const struct gpcrace_probe_cfg *, int64_t *, int64_t, struct gpcrace_probe_out *);
int64_t probe_uffd_remove(const struct gpcrace_probe_cfg *, int64_t *, int64_t, struct gpcrace_probe_out *);
int64_t probe_futex(const struct gpcrace_probe_cfg *, int64_t *, int64_t, struct gpcrace_probe_out *);
int64_t probe_bridge_c(const struct gpcrace_probe_cfg *, int64_t *, int64_t, struct gpcrace_probe_out *);
int64_t probe_drain(const struct gpcrace_probe_cfg *, int64_t *, int64_t, struct gpcrace_probe_out *);

#endif
