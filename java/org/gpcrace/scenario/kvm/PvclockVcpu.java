package org.gpcrace.scenario.kvm;

import java.lang.invoke.VarHandle;

import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.gpcrace.sys.kvm.KvmApi;

/**
 * The vCPU actor. Per run: zero the pvclock structure, ask for a clock update, KVM_RUN (the guest
 * halts at once), read the structure back, then judge the run against the invalidation log:
 * {@link PvclockOutcome}. Also times each KVM_RUN: the fast path (no invalidation since before
 * the previous run) and the runs after an invalidation (the GPC refresh included).
 * Runs on one thread; the watchdog reads {@link #runStartedAt()} and {@link #runs()}.
 */
final class PvclockVcpu {
    static final long NOT_RUNNING = Long.MIN_VALUE;

    private final PvclockGuest guest;
    private final ClockUpdate clockUpdate;
    private final InvalidationLog log;
    private final long runBoundNs;
    private final long gapMaxNs;
    private final long parkNs;
    private final SplittableRandom random;
    final long[] counts = new long[PvclockOutcome.values().length];
    final Histogram fastPath = Histograms.ns();
    final Histogram afterInvalidation = Histograms.ns();
    final Histogram allRuns = Histograms.ns();
    /** Runs overlapped by an invalidation whose update was still visible at the read. */
    long overlappedVisible;
    long strictlyAdvanced;
    /** What the first few lost-update runs saw, so a finding says which check failed and when. */
    final java.util.List<java.util.Map<String, Object>> lostEvidence = new java.util.ArrayList<>();
    static final int LOST_EVIDENCE_MAX = 5;
    long firstForbiddenRun = -1;
    long firstForbiddenNanos;
    String firstForbidden;
    private long lastSystemTime = Long.MIN_VALUE;
    private long previousRunStart = Long.MIN_VALUE;
    private long previousRunEnd = Long.MIN_VALUE;
    private volatile long runStartedAt = NOT_RUNNING;
    private volatile long runs;

    /** Longest wait for an invalidation to complete between two runs. */
    static final long SETTLE_MAX_NS = 200_000;

    /**
     * @param gapMaxNs after each run, every other run on average, a random busy-wait of
     *     0..gapMaxNs; the other runs wait (up to 200 us) until an invalidation that started
     *     after the run has completed, so the next run has to refresh the GPC: both kinds of
     *     run, and enough refreshes to time them
     * @param parkNs sleep after each run instead (0: none), so the vCPU leaves its CPU to others
     */
    PvclockVcpu(PvclockGuest guest, ClockUpdate clockUpdate, InvalidationLog log, long runBoundNs, long gapMaxNs, long parkNs, long seed) {
        this.guest = guest;
        this.clockUpdate = clockUpdate;
        this.log = log;
        this.runBoundNs = runBoundNs;
        this.gapMaxNs = gapMaxNs;
        this.parkNs = parkNs;
        this.random = new SplittableRandom(seed);
    }

    long runs() { return runs; }

    /** When the KVM_RUN under way started, or NOT_RUNNING. */
    long runStartedAt() { return runStartedAt; }

    void count(PvclockOutcome o) { counts[o.ordinal()]++; }

    /** Runs until {@code maxRuns} runs are done or {@code keepGoing} turns false. */
    void loop(long maxRuns, BooleanSupplier keepGoing, long startNanos) {
        while (runs < maxRuns && keepGoing.getAsBoolean()) once(startNanos);
    }

    private void once(long startNanos) {
        long zero = System.nanoTime();
        // the zeroing stores may not move above the stamp (a plain store can, past nanoTime)
        VarHandle.fullFence();
        guest.zeroPvclock();
        clockUpdate.request(guest);
        long runStart = System.nanoTime();
        runStartedAt = runStart;
        int exit = guest.vcpu().run();
        long runEnd = System.nanoTime();
        runStartedAt = NOT_RUNNING;
        if (exit != KvmApi.KVM_EXIT_HLT) {
            throw new IllegalStateException("KVM_RUN returned " + KvmApi.exitName(exit) + ", expected KVM_EXIT_HLT (run " + runs + ")");
        }
        int version = guest.pvclockVersion();
        long systemTime = guest.pvclockSystemTime();
        int mul = guest.pvclockMul();
        // The loads must be done before the read stamp: plain loads may otherwise sink past
        // nanoTime (and past the log's acquire), and a zap that starts after the stamp would tear
        // the read (version 2, mul 0) with no interval to excuse it: a false lost-update.
        VarHandle.fullFence();
        long read = System.nanoTime();

        boolean advanced = clockUpdate.strictlyAdvancing() ? systemTime > lastSystemTime : systemTime >= lastSystemTime;
        boolean fresh = version != 0 && (version & 1) == 0 && mul != 0 && advanced;
        InvalidationLog.Verdict v = log.judge(zero, read, previousRunStart, previousRunEnd, runStart);
        PvclockOutcome o;
        if (v == InvalidationLog.Verdict.OVERLAPPED) {
            o = PvclockOutcome.INVALIDATED_DURING;
            if (fresh) overlappedVisible++;
        } else if (!fresh) {
            o = PvclockOutcome.LOST_UPDATE;
            if (lostEvidence.size() < LOST_EVIDENCE_MAX) {
                lostEvidence.add(evidence(version, systemTime, mul, advanced, zero, runStart, runEnd, read, startNanos));
            }
        } else if (v == InvalidationLog.Verdict.REFRESHED) {
            o = PvclockOutcome.UPDATED_AFTER_REFRESH;
            Histograms.record(afterInvalidation, runEnd - runStart);
        } else {
            o = PvclockOutcome.UPDATED;
            if (v == InvalidationLog.Verdict.QUIET) Histograms.record(fastPath, runEnd - runStart);
        }
        if (o != PvclockOutcome.INVALIDATED_DURING && fresh) {
            if (systemTime > lastSystemTime && lastSystemTime != Long.MIN_VALUE) strictlyAdvanced++;
            lastSystemTime = systemTime;
        }
        count(o);
        Histograms.record(allRuns, runEnd - runStart);
        if (runEnd - runStart > runBoundNs) count(PvclockOutcome.SLOW_RUN);
        if (o.grade() == org.gpcrace.result.Grade.FORBIDDEN && firstForbidden == null) {
            firstForbidden = o.id();
            firstForbiddenRun = runs;
            firstForbiddenNanos = read - startNanos;
        }
        previousRunStart = runStart;
        previousRunEnd = runEnd;
        runs = runs + 1;
        if (parkNs > 0) LockSupport.parkNanos(parkNs);
        else if (gapMaxNs > 0 && random.nextBoolean()) {
            long until = System.nanoTime() + random.nextLong(gapMaxNs + 1);
            while (System.nanoTime() < until) Thread.onSpinWait();
        } else if (gapMaxNs > 0 && log.recording()) {
            long target = log.nextFreshCompletion(), until = System.nanoTime() + SETTLE_MAX_NS;
            while (log.completed() < target && System.nanoTime() < until) Thread.onSpinWait();
        }
    }

    /** The values and times of a lost-update run (relative to the phase start, ns), and the last invalidation before it. */
    private java.util.Map<String, Object> evidence(int version, long systemTime, int mul, boolean advanced, long zero, long runStart,
            long runEnd, long read, long startNanos) {
        String failed = version == 0 ? "version still 0 (no write seen)" : (version & 1) != 0 ? "version odd (write in progress)"
                : mul == 0 ? "tsc_to_system_mul 0" : !advanced ? "system_time went back by " + (lastSystemTime - systemTime) + " ns" : "?";
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("run", runs);
        m.put("failedCheck", failed);
        m.put("version", version);
        m.put("systemTime", systemTime);
        m.put("lastSystemTime", lastSystemTime);
        m.put("mul", mul);
        m.put("zeroNs", zero - startNanos);
        m.put("runStartNs", runStart - startNanos);
        m.put("runEndNs", runEnd - startNanos);
        m.put("readNs", read - startNanos);
        long[] last = log.lastIntervalBefore(read);
        if (last != null) {
            m.put("lastInvalidationStartNs", last[0] - startNanos);
            m.put("lastInvalidationEndNs", last[1] - startNanos);
        }
        return m;
    }
}
