package org.gpcrace.scenario.kvm;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.gpcrace.result.PvclockExtra;
import org.gpcrace.sys.kvm.KvmApi;

/**
 * One vCPU actor. Per run: zero its pvclock structure, ask for a clock update, KVM_RUN (the guest
 * halts at once), read the structure back, then judge the run against the invalidation log
 * (system-call intervals): {@link PvclockOutcome}. Every run is also recorded ({@link RunRecords})
 * for the trace oracle. Times each KVM_RUN: the fast path (no invalidation since before the
 * previous run) and the runs after an invalidation (the GPC refresh included).
 * Runs on one thread; the watchdog reads {@link #runStartedAt()} and {@link #runs()}.
 */
final class PvclockVcpu {
    static final long NOT_RUNNING = Long.MIN_VALUE;

    final int index;
    private final PvclockGuest guest;
    private final ClockUpdate clockUpdate;
    private final InvalidationLog log;
    private final InvalidationLog.Reader judge;
    private final WriteGate gate;
    private final long runBoundNs;
    private final long gapMaxNs;
    private final long gapMinNs;
    private final long parkNs;
    private final SplittableRandom random;
    final long[] counts = new long[PvclockOutcome.values().length];
    final Histogram fastPath = Histograms.ns();
    final Histogram afterInvalidation = Histograms.ns();
    final Histogram allRuns = Histograms.ns();
    final RunRecords records;
    /** Runs overlapped by an invalidation whose update was still visible at the read. */
    long overlappedVisible;
    long strictlyAdvanced;
    /** What the first few lost-update runs saw, so a finding says which check failed and when. */
    final List<PvclockExtra.LostUpdate> lostEvidence = new ArrayList<>();
    static final int LOST_EVIDENCE_MAX = 5;
    long firstForbiddenRun = -1;
    long firstForbiddenNanos;
    String firstForbidden;
    /** The thread's id (gettid), for the trace; 0 until the loop starts. */
    volatile int tid;
    private long lastSystemTime = Long.MIN_VALUE;
    private long previousRunStart = Long.MIN_VALUE;
    private long previousRunEnd = Long.MIN_VALUE;
    private volatile long runStartedAt = NOT_RUNNING;
    private volatile long runs;

    /** Wait for an invalidation to complete between two runs: 200 us, or three times the last one's duration, at most 50 ms. */
    static final long SETTLE_MAX_NS = 200_000, SETTLE_CAP_NS = 50_000_000;
    private long lastSettleEnd = Long.MIN_VALUE / 2;

    /**
     * @param gapMaxNs after each run, every other run on average, a random busy-wait of
     *     0..gapMaxNs; the other runs wait (up to 200 us, longer for slow sources) until an
     *     invalidation that started after the run has completed, so the next run has to refresh
     *     the GPC: both kinds of run, and enough refreshes to time them
     * @param gapMinNs added to every random gap (the source's {@link SourceOp#vcpuGapMinNs})
     * @param parkNs sleep after each run instead (0: none), so the vCPU leaves its CPU to others
     * @param gate the mprotect source's gate around the zeroing store, or null
     */
    PvclockVcpu(int index, PvclockGuest guest, ClockUpdate clockUpdate, InvalidationLog log, WriteGate gate, long runBoundNs,
            long gapMinNs, long gapMaxNs, long parkNs, long seed, long expectedRuns) {
        this.index = index;
        this.guest = guest;
        this.clockUpdate = clockUpdate;
        this.log = log;
        this.judge = log.reader();
        this.gate = gate;
        this.runBoundNs = runBoundNs;
        this.gapMaxNs = gapMaxNs;
        this.gapMinNs = gapMinNs;
        this.parkNs = parkNs;
        this.random = new SplittableRandom(seed);
        this.records = new RunRecords(expectedRuns);
    }

    long runs() { return runs; }

    /** When the KVM_RUN under way started, or NOT_RUNNING. */
    long runStartedAt() { return runStartedAt; }

    long logOverruns() { return judge.overruns(); }

    void count(PvclockOutcome o) { counts[o.ordinal()]++; }

    /** Runs until {@code maxRuns} runs are done and {@code extend} is false, or {@code keepGoing} turns false. */
    void loop(long maxRuns, BooleanSupplier extend, BooleanSupplier keepGoing, long startNanos) {
        tid = guest.bridge().kernel().gettid();
        while ((runs < maxRuns || extend.getAsBoolean()) && keepGoing.getAsBoolean()) once(startNanos);
    }

    private void once(long startNanos) {
        int region = guest.currentRegion();
        long zero = System.nanoTime();
        // the zeroing stores may not move above the stamp (a plain store can, past nanoTime)
        VarHandle.fullFence();
        if (gate != null) gate.enter(index);
        guest.zeroPvclock(region, index);
        if (gate != null) gate.exit(index);
        clockUpdate.request(guest, index);
        long runStart = System.nanoTime();
        runStartedAt = runStart;
        int exit = guest.vcpu(index).run();
        long runEnd = System.nanoTime();
        runStartedAt = NOT_RUNNING;
        if (exit != KvmApi.KVM_EXIT_HLT) {
            throw new IllegalStateException("vCPU " + index + ": KVM_RUN returned " + KvmApi.exitName(exit) + ", expected KVM_EXIT_HLT (run "
                    + runs + ")");
        }
        int version = guest.pvclockVersion(region, index);
        long systemTime = guest.pvclockSystemTime(region, index);
        int mul = guest.pvclockMul(region, index);
        // The loads must be done before the read stamp: plain loads may otherwise sink past
        // nanoTime (and past the log's acquire), and a zap that starts after the stamp would tear
        // the read (version 2, mul 0) with no interval to excuse it: a false lost-update.
        VarHandle.fullFence();
        long read = System.nanoTime();

        boolean advanced = clockUpdate.strictlyAdvancing() ? systemTime > lastSystemTime : systemTime >= lastSystemTime;
        boolean fresh = version != 0 && (version & 1) == 0 && mul != 0 && advanced;
        InvalidationLog.Verdict v = judge.judge(zero, read, previousRunStart, previousRunEnd, runStart);
        PvclockOutcome o;
        if (v == InvalidationLog.Verdict.OVERLAPPED) {
            o = PvclockOutcome.INVALIDATED_DURING;
            if (fresh) overlappedVisible++;
        } else if (!fresh) {
            o = PvclockOutcome.LOST_UPDATE;
            if (lostEvidence.size() < LOST_EVIDENCE_MAX) {
                long[] last = log.lastIntervalBefore(read);
                lostEvidence.add(new PvclockExtra.LostUpdate("race", index, runs, failedCheck(version, mul, advanced),
                        version, systemTime, lastSystemTime, mul, zero - startNanos, runStart - startNanos, runEnd - startNanos,
                        read - startNanos, last == null ? null : last[0] - startNanos, last == null ? null : last[1] - startNanos));
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
        records.add(zero, runStart, runEnd, read, o, fresh, region);
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
        if (parkNs > 0) {
            LockSupport.parkNanos(parkNs);
            return;
        }
        if (gapMaxNs <= 0) return;
        long now = System.nanoTime(), last = log.lastDurationNs();
        // settle: wait out one whole invalidation that starts after this run, so the next run must refresh. For slow
        // sources (fork, compaction, a memslot flip under load: milliseconds) about half of the time at most is spent so.
        if (random.nextBoolean() && log.recording() && now - lastSettleEnd > last) {
            long target = log.nextFreshCompletion(), until = now + Math.min(SETTLE_CAP_NS, Math.max(SETTLE_MAX_NS, 3 * last));
            while (log.completed() < target && System.nanoTime() < until) Thread.onSpinWait();
            lastSettleEnd = System.nanoTime();
        } else {
            long until = now + gapMinNs + random.nextLong(gapMaxNs + 1);
            while (System.nanoTime() < until) Thread.onSpinWait();
        }
    }

    /** Which check a missing update failed. */
    static String failedCheck(int version, int mul, boolean advanced) {
        return version == 0 ? "version still 0 (no write seen)" : (version & 1) != 0 ? "version odd (write in progress)"
                : mul == 0 ? "tsc_to_system_mul 0" : !advanced ? "system_time did not advance" : "?";
    }
}
