package org.gpcrace.bridge;

/**
 * The latency probes' native entry points (the probe section of gpcrace.h). Java fills a
 * {@link Layouts#PROBE_CFG}, gives a sample buffer of {@code series x n} longs and a
 * {@link Layouts#PROBE_OUT}; {@link #run} returns n or -errno (the failing call in the out
 * struct's err_call, named by {@link #callName}). Addresses are raw. Same numbers as gpcrace.h.
 */
public interface ProbeNative {
    // enum gpcrace_probe_id
    int CLOCK_READS = 0, TSC_SKEW = 1, MADVISE = 2, SHOOTDOWN = 3, REFAULT = 4, UFFD_MISSING = 5, UFFD_REMOVE = 6,
            FUTEX = 7, BRIDGE_C = 8, DRAIN = 9;
    int MAX_HELPERS = 256, MAX_SERIES = 3;
    // enum gpcrace_probe_clock_id
    int CLOCK_RDTSC = 0, CLOCK_RDTSCP = 1, CLOCK_LFENCE_RDTSC = 2, CLOCK_MONOTONIC = 3;
    // GPCRACE_PMODE_*, GPCRACE_PFLAG_*
    int MODE_OP = 0, MODE_OP_REFAULT = 1;
    int FLAG_THP_FLIP = 1, FLAG_BROKEN_CONTROL = 2, FLAG_EMPTY_RANGE = 4;
    // enum gpcrace_probe_resolve, gpcrace_probe_call_kind
    int RESOLVE_COPY = 0, RESOLVE_ZEROPAGE = 1;
    int CALL_NOOP = 0, CALL_GETPID = 1, CALL_MADVISE = 2;
    // enum gpcrace_probe_drain_kind
    int DRAIN_RWLOCK_SPIN = 0, DRAIN_RWLOCK_SLEEPING = 1, DRAIN_SRCU = 2;
    // enum gpcrace_probe_call (those Java tells apart: userfaultfd missing on this host)
    int PCALL_USERFAULTFD = 6, PCALL_UFFDIO_API = 7;

    /** TSC ticks per second measured against CLOCK_MONOTONIC over windowNs; 0 without a TSC. */
    long tscCalibrate(long windowNs);

    /** Selects the probe clock: the TSC at tscHz (> 0) or CLOCK_MONOTONIC (0). Returns 1 for the TSC. */
    int clockUse(long tscHz);

    /** Now on the probe clock, ns. */
    long clockNowNs();

    boolean hasRdtscp();

    /** Runs one probe for n iterations; n, or -errno. */
    long run(int probe, long cfg, long samples, long n, long out);

    /** Series the probe writes; -1 when unknown. */
    int series(int probe);

    /** The helper's name for a probe id, or null. */
    String probeName(int probe);

    /** Name of a gpcrace_probe_call ("madvise"), or null. */
    String callName(int call);

    /** n x { *p = 1; madvise(p, 4096, MADV_DONTNEED) } pinned to cpu (-1: not): CLOCK_MONOTONIC ns, or -errno. */
    long plainDontneed(long addr, long n, int cpu);
}
