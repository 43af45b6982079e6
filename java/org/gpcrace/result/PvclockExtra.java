package org.gpcrace.result;

import java.util.List;
import java.util.Map;

/**
 * A kvm-pvclock test's own block (kind "pvclock"): which source, what its oracle can and cannot
 * show, the race phase (by the oracle that judged it, and what the other one said), the sequential
 * phase, the kernel-side evidence from the trace, the first lost updates in detail, and the storm
 * or several-vCPU figures of the tests that have them.
 *
 * @param source            the invalidation source's id ("none": no invalidator)
 * @param sequential        null when the test has no sequential phase
 * @param storm             kvm-pvclock-storm only
 * @param contention        kvm-pvclock-vcpus-* only
 */
public record PvclockExtra(String source, String sourceDescription, Oracle oracle, Race race, Sequential sequential, Evidence evidence,
        List<LostUpdate> lostUpdates, Storm storm, Contention contention) implements TestExtra {

    public PvclockExtra {
        lostUpdates = List.copyOf(lostUpdates);
    }

    /**
     * What the outcomes can show here. {@code judgedBy}: "trace" (KVM's notifier events on the page
     * judge which runs an invalidation overlapped) or "system calls" (the invalidator's intervals).
     * {@code frame}: what the source does to the page's frame, which decides whether a stale write
     * could be seen at all.
     */
    public record Oracle(String judgedBy, String frame, boolean lasting, List<String> canShow, List<String> cannotShow) {
        public Oracle {
            canShow = List.copyOf(canShow);
            cannotShow = List.copyOf(cannotShow);
        }
    }

    /**
     * The race phase. {@code syscallOracle}: the outcome counts the system-call intervals gave
     * (the test's outcomes are the trace's when {@code judgedBy} is "trace"); {@code traceExcused}:
     * runs the trace excused; {@code traceCleared}: runs the system calls excused but the trace did
     * not (judged by their update; {@code traceClearedFresh} of them had it); {@code traceAdded}:
     * runs only the trace excused (the microsecond rounding of an event near a call's edge, or
     * {@code traceAddedByOthers}: only an invalidation the harness did not make).
     */
    public record Race(int vcpus, long runs, long invalidations, long invalidatorCycles, long overlappedUpdateVisible,
            long overlappedUpdateGone, long systemTimeStrictlyAdvanced, long logOverruns, Map<String, Long> syscallOracle,
            long traceExcused, long traceCleared, long traceClearedFresh, long traceAdded, long traceAddedByOthers, TraceWindows traceWindows,
            long sourceRefusals, String note) {
        public Race {
            syscallOracle = Map.copyOf(syscallOracle);
        }
    }

    /** The trace oracle's effect windows on the page by who raised them (null when the trace did not judge). */
    public record TraceWindows(long harnessCalls, long vcpuThread, long otherTasks, long outsideEveryCall) {}

    /**
     * The sequential phase: {@code effective} of {@code samples} invalidations did what the source
     * does ({@code effectMeaning}; {@code unknownEffect} when nothing the tool reads can tell);
     * refresh cost = KVM_RUN after the invalidation minus the fast path; the invalidation's own
     * cost with the cache active and with it deactivated.
     */
    public record Sequential(long samples, long runs, long lostUpdates, long effective, long ineffective, long unknownEffect,
            String effectMeaning, long frameChanged, long refreshCostP50Ns, long refreshCostP99Ns, long withCacheP50Ns,
            long withCacheP99Ns, long withoutCacheP50Ns, long withoutCacheP99Ns) {}

    /**
     * Kernel-side evidence from a private tracefs instance ({@code available} false: {@code note}
     * says why and the fix). {@code unmapCoveringPvclock}: kvm_unmap_hva_range events whose range
     * holds a pvclock structure ({@code ...FromOthers}: raised by another task, e.g. ksmd,
     * kcompactd); {@code pvclockUpdates}: this process's kvm_pvclock_update events against its
     * {@code kvmRuns}; TLB flushes of this process by reason (not on task switch), and per notifier event on the page.
     */
    public record Evidence(boolean available, String note, long unmapCoveringPvclock, long unmapCoveringPvclockFromOthers, long unmapTotal,
            long pvclockUpdates, long kvmRuns, Map<String, Long> tlbFlushesByReason, double tlbFlushesPerInvalidation, long lostEvents,
            long clockSkewNs, List<String> missingEvents) {
        public Evidence {
            tlbFlushesByReason = Map.copyOf(tlbFlushesByReason);
            missingEvents = List.copyOf(missingEvents);
        }

        public static Evidence unavailable(String why) { return new Evidence(false, why, 0, 0, 0, 0, 0, Map.of(), 0, 0, 0, List.of()); }
    }

    /** One lost-update run: which check failed, the values read, the times (ns from the phase start) and the nearest invalidation. */
    public record LostUpdate(String phase, int vcpu, long run, String failedCheck, int version, long systemTime, long lastSystemTime,
            int mul, long zeroNs, long runStartNs, long runEndNs, long readNs, Long lastInvalidationStartNs, Long lastInvalidationEndNs) {}

    /** kvm-pvclock-storm: invalidations of an unrelated range during the race, and what they did to the refresh. */
    public record Storm(long invalidations, double perSecond, long pages, long runsOverBound, long longestRunNs, Ratio refreshInflation,
            Ratio fastPathInflation) {}

    public record Ratio(double p50, double p99, double max) {}

    /**
     * Several vCPUs, each with its own pv_time cache, on one page or on distinct pages: after one
     * invalidation of all of them, every vCPU's KVM_RUN started together (refresh contention)
     * against vCPU 0's alone.
     */
    public record Contention(int vcpus, boolean distinctPages, long samples, long lostUpdates, long aloneP50Ns, long aloneP99Ns,
            long togetherP50Ns, long togetherP99Ns) {}
}
