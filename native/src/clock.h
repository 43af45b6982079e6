/*
 * clock.h - internal: the one clock of the C side.
 *
 * mono_ns() is CLOCK_MONOTONIC in ns, the time base of Java's System.nanoTime, so stamps taken
 * in C and in Java compare. The TSC reads are for the latency probes (calibrated against
 * mono_ns in probe_clock.c) and for the pvclock-like timestamp the readers write; without a
 * TSC (not x86) they fall back to mono_ns.
 */
#ifndef GPCRACE_CLOCK_H
#define GPCRACE_CLOCK_H
#include <stdint.h>
#include <time.h>

static inline int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

#if defined(__x86_64__) || defined(__i386__)
#define HAVE_TSC 1
/* A bare read, no ordering: a timestamp, not the edge of a timed interval. */
static inline uint64_t tsc_now(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
/* Start stamp: earlier instructions have completed before the TSC is read. */
static inline uint64_t tsc_begin(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}
/* End stamp: the timed instructions have completed; later ones wait for the read.
 * rdtscp: the CPU has it (otherwise lfence; rdtsc; lfence). */
static inline uint64_t tsc_end(int rdtscp)
{
    uint32_t lo, hi, aux;
    if (rdtscp)
        __asm__ volatile("rdtscp; lfence" : "=a"(lo), "=d"(hi), "=c"(aux) :: "memory");
    else
        __asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}
#else
#define HAVE_TSC 0
static inline uint64_t tsc_now(void) { return (uint64_t)mono_ns(); }
static inline uint64_t tsc_begin(void) { return (uint64_t)mono_ns(); }
static inline uint64_t tsc_end(int rdtscp) { (void)rdtscp; return (uint64_t)mono_ns(); }
#endif

#endif
