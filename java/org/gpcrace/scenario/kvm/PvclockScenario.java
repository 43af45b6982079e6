package org.gpcrace.scenario.kvm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.result.Expectation;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.kvm.KvmUnavailableException;

/**
 * kvm-pvclock (DESIGN.md 4.2): a live KVM gfn-to-pfn cache under invalidation.
 *
 * <pre>
 *   gpcrace run kvm-pvclock [--storm] [--memslot-updates] [--source dontneed|free|remap|none]
 * </pre>
 *
 * Tests, each a results.json entry and a console table:
 * <ul>
 *   <li>{@code kvm-pvclock}: the vCPU actor against the invalidator, outcomes of
 *       {@link PvclockOutcome}; then, sequentially ({@link Calibration}), KVM_RUN on the fast
 *       path vs right after an invalidation (the difference is the real refresh cost) and
 *       madvise of the pvclock page with the GPC active vs a page no GPC covers.</li>
 *   <li>{@code kvm-pvclock-storm} (--storm): the same with a storm of invalidations of an
 *       unrelated range running: the refresh latency inflation, and the runs over the bound.</li>
 *   <li>{@code kvm-pvclock-memslot} (--memslot-updates): memslot create/delete latency with no
 *       invalidations vs under a back-to-back invalidation stream (seed 003's unfair wait), in
 *       alternating blocks so background load falls on both alike.</li>
 * </ul>
 * Needs /dev/kvm; when it cannot be used every planned test is reported skipped, with the fix.
 */
public final class PvclockScenario {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PvclockScenario.class);
    public static final String SCENARIO = "kvm-pvclock";
    public static final String MAIN = "kvm-pvclock";
    public static final String STORM = "kvm-pvclock-storm";
    public static final String MEMSLOT = "kvm-pvclock-memslot";
    /** Memslot pairs per block of the alternating no-stream / stream comparison. */
    static final long MEMSLOT_BLOCK = 50;

    private final NativeBridge bridge;
    private final PvclockConfig c;
    private final BooleanSupplier stopRequested;

    public PvclockScenario(NativeBridge bridge, PvclockConfig config, BooleanSupplier stopRequested) {
        this.bridge = bridge;
        this.c = config;
        this.stopRequested = stopRequested;
    }

    /** The tests this configuration runs, in order. */
    public List<String> planned() {
        List<String> names = new ArrayList<>(List.of(MAIN));
        if (c.stormRuns() > 0) names.add(STORM);
        if (c.memslotPairs() > 0) names.add(MEMSLOT);
        return names;
    }

    /** Runs every planned test; {@code onTest} sees each as soon as it is finished. */
    public List<TestResult> run(Consumer<TestResult> onTest) throws InterruptedException {
        List<TestResult> tests = new ArrayList<>();
        Consumer<TestResult> emit = t -> {
            tests.add(t);
            onTest.accept(t);
        };
        PvclockGuest guest;
        try {
            guest = PvclockGuest.create(bridge);
        } catch (KvmUnavailableException e) {
            for (String name : planned()) emit.accept(TestResult.skipped(name, SCENARIO, c.asMap(), e.skip()));
            return tests;
        }
        LOG.debug("kvm-pvclock: guest created; vCPU actor on cpu{}, invalidator on cpu{}; {}", c.vcpuCpu(), c.invalidatorCpu(), c.asMap());
        try (guest) {
            Calibration quietCal = null;
            try {
                PvclockPhase race = PvclockPhase.run(bridge, c, guest, new PvclockPhase.Spec("race", c.runs(),
                        c.source() != null, c.delayMaxNs(), false, 0), stopRequested, c.seed());
                quietCal = calibrate(guest, false);
                emit.accept(mainResult(race, quietCal));
            } catch (RuntimeException e) {
                emit.accept(failed(MAIN, e));
            }
            if (c.stormRuns() > 0 && !stopRequested.getAsBoolean()) {
                try {
                    PvclockPhase storm = PvclockPhase.run(bridge, c, guest, new PvclockPhase.Spec("storm", c.stormRuns(), true,
                            c.delayMaxNs(), true, 0), stopRequested, c.seed() + 1);
                    Calibration stormCal = calibrate(guest, true);
                    emit.accept(stormResult(storm, stormCal, quietCal));
                } catch (RuntimeException e) {
                    emit.accept(failed(STORM, e));
                }
            }
            if (c.memslotPairs() > 0 && !stopRequested.getAsBoolean()) {
                try {
                    emit.accept(memslotResult(guest));
                } catch (RuntimeException e) {
                    emit.accept(failed(MEMSLOT, e));
                }
            }
        }
        return tests;
    }

    /**
     * Only the memslot test (memslot-fairness compares its model with it): the guest, then
     * {@code kvm-pvclock-memslot}; skipped with the fix when /dev/kvm cannot be used.
     */
    public TestResult runMemslotOnly() throws InterruptedException {
        if (c.memslotPairs() <= 0) throw new IllegalArgumentException("memslot pairs must be > 0");
        PvclockGuest guest;
        try {
            guest = PvclockGuest.create(bridge);
        } catch (KvmUnavailableException e) {
            return TestResult.skipped(MEMSLOT, SCENARIO, c.asMap(), e.skip());
        }
        try (guest) {
            return memslotResult(guest);
        } catch (RuntimeException e) {
            return failed(MEMSLOT, e);
        }
    }

    /** The sequential measurements on the vCPU's CPU, with the storm running on the other when asked. */
    private Calibration calibrate(PvclockGuest guest, boolean withStorm) throws InterruptedException {
        StormActor storm = withStorm ? new StormActor(bridge, c.invalidatorCpu(), c.stormPages(), c.stormTouch()) : null;
        Calibration cal = null;
        try {
            if (storm != null) storm.start();
            long samples = stopRequested.getAsBoolean() ? 0 : c.calibrationSamples(); // interrupted: release everything now
            cal = new Calibration(bridge, c.vcpuCpu(), guest, c.clockUpdate(), samples);
            cal.start();
            while (cal.isAlive()) {
                cal.join(10);
                if (stopRequested.getAsBoolean()) cal.requestStop();
            }
        } finally {
            if (cal != null) {
                cal.stopAndJoin(0);
                cal.close();
            }
            if (storm != null && storm.stopAndJoin(Math.max(1000, c.hangNs() / 1_000_000))) storm.close();
        }
        cal.rethrowFailure();
        if (storm != null) storm.rethrowFailure();
        return cal;
    }

    private TestResult failed(String name, RuntimeException e) {
        return TestResult.failed(name, SCENARIO, c.asMap(), String.valueOf(e.getMessage()));
    }

    /**
     * KVM's own GPC must never lose an update; with --busted (the invalidator hides its intervals)
     * missing updates cannot be excused, so lost-update is the race that negative control shows.
     */
    private Expectation expectation() {
        return c.busted() ? Expectation.unsafe("negative control: invalidations are not logged, so a zapped update cannot be excused",
                PvclockOutcome.LOST_UPDATE.id())
                : Expectation.safe("KVM's pv_time cache is invalidated by the MMU notifier before the page goes (gfn_to_pfn_cache_invalidate_start)");
    }

    // ---- results

    private TestResult mainResult(PvclockPhase race, Calibration cal) {
        PvclockVcpu v = race.vcpu;
        List<LatencySummary> lat = new ArrayList<>();
        lat.add(LatencySummary.of("KVM_RUN fast path", Histograms.CLOCK, cal.fastRun));
        lat.add(LatencySummary.of("KVM_RUN after invalidation", Histograms.CLOCK, cal.refreshRun));
        lat.add(LatencySummary.of("madvise pvclock page (GPC active)", Histograms.CLOCK, cal.gpcPage));
        lat.add(LatencySummary.of("madvise slot page (no GPC)", Histograms.CLOCK, cal.plainPage));
        lat.add(LatencySummary.of("madvise page outside memslots", Histograms.CLOCK, cal.outsidePage));
        lat.add(LatencySummary.of("race: KVM_RUN, all runs", Histograms.CLOCK, v.allRuns));
        lat.add(LatencySummary.of("race: KVM_RUN fast path", Histograms.CLOCK, v.fastPath));
        lat.add(LatencySummary.of("race: KVM_RUN after refresh", Histograms.CLOCK, v.afterInvalidation));
        if (race.invalidator != null) lat.add(LatencySummary.of("race: invalidator " + c.source().id(), Histograms.CLOCK, race.invalidator.duration));
        Map<String, Object> extra = phaseExtra(race, cal);
        extra.put("refreshCostNs", difference(cal.refreshRun, cal.fastRun));
        extra.put("madviseGpcExtraNs", difference(cal.gpcPage, cal.plainPage));
        List<String> notes = new ArrayList<>(phaseNotes(race, cal));
        if (cal.refreshRun.getTotalCount() > 0) {
            notes.add(String.format("refresh cost (sequential KVM_RUN after invalidation - fast path): p50 %+d ns, p99 %+d ns",
                    p(cal.refreshRun, 50) - p(cal.fastRun, 50), p(cal.refreshRun, 99) - p(cal.fastRun, 99)));
            notes.add(String.format("madvise(DONTNEED) of 1 page, p50: pvclock page, GPC active %d ns; same-slot page, no GPC %d ns;"
                    + " page outside memslots %d ns", p(cal.gpcPage, 50), p(cal.plainPage, 50), p(cal.outsidePage, 50)));
        }
        extra.put("notes", notes);
        return result(MAIN, race, cal, lat, extra);
    }

    private TestResult stormResult(PvclockPhase storm, Calibration stormCal, Calibration quietCal) {
        PvclockVcpu v = storm.vcpu;
        List<LatencySummary> lat = List.of(
                LatencySummary.of("storm: KVM_RUN fast path", Histograms.CLOCK, stormCal.fastRun),
                LatencySummary.of("storm: KVM_RUN after invalidation", Histograms.CLOCK, stormCal.refreshRun),
                LatencySummary.of("storm: madvise pvclock page", Histograms.CLOCK, stormCal.gpcPage),
                LatencySummary.of("storm race: KVM_RUN, all runs", Histograms.CLOCK, v.allRuns));
        Map<String, Object> extra = phaseExtra(storm, stormCal);
        extra.put("stormInvalidations", storm.stormInvalidations);
        extra.put("stormInvalidationsPerSecond", storm.seconds > 0 ? storm.stormInvalidations / storm.seconds : 0);
        long over = v.counts[PvclockOutcome.SLOW_RUN.ordinal()];
        extra.put("runsOverBound", over);
        List<String> notes = new ArrayList<>(phaseNotes(storm, stormCal));
        notes.add(String.format("storm: %d invalidations of an unrelated %d-page range during the race (%.0f/s)", storm.stormInvalidations,
                c.stormPages(), storm.seconds > 0 ? storm.stormInvalidations / storm.seconds : 0));
        if (quietCal != null && quietCal.refreshRun.getTotalCount() > 0 && stormCal.refreshRun.getTotalCount() > 0) {
            Map<String, Object> inflation = ratios(stormCal.refreshRun, quietCal.refreshRun);
            extra.put("refreshInflation", inflation);
            extra.put("fastPathInflation", ratios(stormCal.fastRun, quietCal.fastRun));
            notes.add(String.format("refresh inflation (KVM_RUN after invalidation, storm / quiet): p50 x%.2f, p99 x%.2f, max x%.2f"
                    + " (fast path: p50 x%.2f)", inflation.get("p50"), inflation.get("p99"), inflation.get("max"),
                    ratios(stormCal.fastRun, quietCal.fastRun).get("p50")));
        }
        long longest = Math.max(v.allRuns.getMaxValue(), stormCal.refreshRun.getMaxValue());
        notes.add(String.format("runs over the %.3f ms bound: %d of %d race runs; longest KVM_RUN %d ns%s", c.runBoundNs() / 1e6, over,
                v.runs(), longest, longest > c.runBoundNs() ? " (over the bound)" : ""));
        extra.put("longestRunNs", longest);
        extra.put("notes", notes);
        return result(STORM, storm, stormCal, lat, extra);
    }

    /** Alternating blocks: no stream, then stream, until the pairs are done (or Ctrl-C). */
    private TestResult memslotResult(PvclockGuest guest) throws InterruptedException {
        Histogram[] quiet = {Histograms.ns(), Histograms.ns()}, stream = {Histograms.ns(), Histograms.ns()};
        long[] counts = new long[PvclockOutcome.values().length];
        long runs = 0, pairsQuiet = 0, pairsStream = 0, invalidations = 0, overruns = 0;
        double secs = 0;
        boolean interrupted = false, hang = false;
        TestResult.FirstForbidden ff = null;
        long seed = c.seed() + 2;
        for (long left = c.memslotPairs(); left > 0 && !stopRequested.getAsBoolean(); left -= MEMSLOT_BLOCK) {
            long block = Math.min(MEMSLOT_BLOCK, left);
            for (boolean withStream : new boolean[] {false, true}) {
                PvclockPhase ph = PvclockPhase.run(bridge, c, guest, new PvclockPhase.Spec(withStream ? "memslot-stream" : "memslot-quiet", 0,
                        withStream, 0, withStream && c.stormRuns() > 0, block), stopRequested, seed++);
                Histogram[] into = withStream ? stream : quiet;
                into[0].add(ph.memslot.create);
                into[1].add(ph.memslot.delete);
                if (withStream) pairsStream += ph.memslot.done();
                else pairsQuiet += ph.memslot.done();
                PvclockVcpu v = ph.vcpu;
                if (ff == null && v.firstForbidden != null) {
                    ff = new TestResult.FirstForbidden(v.firstForbidden, runs + v.firstForbiddenRun, secs * 1e3 + v.firstForbiddenNanos / 1e6);
                }
                for (int i = 0; i < counts.length; i++) counts[i] += v.counts[i];
                runs += v.runs();
                secs += ph.seconds;
                invalidations += (ph.invalidator == null ? 0 : ph.invalidator.invalidations()) + ph.stormInvalidations;
                overruns += ph.logOverruns;
                interrupted |= ph.interrupted;
                hang |= ph.hang;
                if (hang) break;
            }
            if (hang) break;
        }
        List<LatencySummary> lat = List.of(
                LatencySummary.of("memslot create (no stream)", Histograms.CLOCK, quiet[0]),
                LatencySummary.of("memslot delete (no stream)", Histograms.CLOCK, quiet[1]),
                LatencySummary.of("memslot create (stream)", Histograms.CLOCK, stream[0]),
                LatencySummary.of("memslot delete (stream)", Histograms.CLOCK, stream[1]));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("pairsNoStream", pairsQuiet);
        extra.put("pairsStream", pairsStream);
        extra.put("blockPairs", MEMSLOT_BLOCK);
        extra.put("streamInvalidations", invalidations);
        extra.put("createInflation", ratios(stream[0], quiet[0]));
        extra.put("deleteInflation", ratios(stream[1], quiet[1]));
        extra.put("logOverruns", overruns);
        if (interrupted) extra.put("interrupted", true);
        List<String> notes = new ArrayList<>();
        notes.add(String.format("memslot update p50/p99 (ns): create %d/%d -> %d/%d under the stream; delete %d/%d -> %d/%d",
                p(quiet[0], 50), p(quiet[0], 99), p(stream[0], 50), p(stream[0], 99),
                p(quiet[1], 50), p(quiet[1], 99), p(stream[1], 50), p(stream[1], 99)));
        notes.add(String.format("stream: back-to-back %s of the pvclock page%s, %d invalidations; blocks of %d pairs alternate"
                + " no-stream / stream; the vCPU runs every ~100 us meanwhile", c.source().id(), c.stormRuns() > 0 ? " plus the storm" : "",
                invalidations, MEMSLOT_BLOCK));
        extra.put("notes", notes);
        return TestResult.builder(MEMSLOT, SCENARIO, c.asMap()).expectation(expectation()).unit("runs").rounds(runs, secs)
                .outcomes(outcomes(counts, null)).firstForbidden(ff).latencies(lat).legacyExtra(extra).build();
    }

    private Map<String, Object> phaseExtra(PvclockPhase ph, Calibration cal) {
        Map<String, Object> extra = new LinkedHashMap<>();
        PvclockVcpu v = ph.vcpu;
        extra.put("invalidations", ph.invalidator == null ? 0 : ph.invalidator.invalidations());
        long during = v.counts[PvclockOutcome.INVALIDATED_DURING.ordinal()];
        extra.put("invalidatedDuringUpdateVisible", v.overlappedVisible);
        extra.put("invalidatedDuringUpdateGone", during - v.overlappedVisible);
        extra.put("systemTimeStrictlyAdvanced", v.strictlyAdvanced);
        extra.put("logOverruns", ph.logOverruns);
        extra.put("sequentialRuns", cal.updates + cal.lost);
        extra.put("sequentialLostUpdates", cal.lost);
        if (!v.lostEvidence.isEmpty()) extra.put("lostUpdateEvidence", v.lostEvidence);
        if (ph.interrupted) extra.put("interrupted", true);
        if (c.busted()) extra.put("negativeControl", "invalidations not logged: missing updates cannot be excused");
        return extra;
    }

    private List<String> phaseNotes(PvclockPhase ph, Calibration cal) {
        PvclockVcpu v = ph.vcpu;
        long during = v.counts[PvclockOutcome.INVALIDATED_DURING.ordinal()];
        List<String> notes = new ArrayList<>();
        notes.add(String.format("%d invalidations (%s); invalidated-during: update visible %d, gone %d; system_time advanced on %d runs%s",
                ph.invalidator == null ? 0 : ph.invalidator.invalidations(), ph.invalidator == null ? "no invalidator" : c.source().id(),
                v.overlappedVisible, during - v.overlappedVisible, v.strictlyAdvanced,
                c.clockUpdate().strictlyAdvancing() ? "" : " (kvmclock-ctrl with a stable TSC rewrites the same value: not going back is the check)"));
        notes.add(String.format("sequential runs (after each invalidation, nothing to excuse a missing update): %d, lost %d%s",
                cal.updates + cal.lost, cal.lost, cal.lost > 0 ? " !!! counted as lost-update" : ""));
        for (Map<String, Object> e : v.lostEvidence) {
            notes.add("!!! lost-update evidence: " + e);
        }
        if (ph.logOverruns > 0) notes.add("!!! " + ph.logOverruns + " runs judged without their invalidation intervals (log overrun): counted as invalidated-during");
        if (ph.interrupted) notes.add("interrupted: partial phase");
        return notes;
    }

    private TestResult result(String name, PvclockPhase ph, Calibration cal, List<LatencySummary> lat, Map<String, Object> extra) {
        PvclockVcpu v = ph.vcpu;
        TestResult.FirstForbidden ff = v.firstForbidden == null ? null
                : new TestResult.FirstForbidden(v.firstForbidden, v.firstForbiddenRun, v.firstForbiddenNanos / 1e6);
        if (ph.hang && ff == null) ff = new TestResult.FirstForbidden(PvclockOutcome.HANG.id(), v.runs(), ph.seconds * 1e3);
        return TestResult.builder(name, SCENARIO, c.asMap()).expectation(expectation()).unit("runs").rounds(v.runs(), ph.seconds)
                .outcomes(outcomes(v.counts, cal)).firstForbidden(ff).latencies(lat).legacyExtra(extra).build();
    }

    /** One count per declared outcome; a sequential run's missing update is a lost update too. */
    static List<OutcomeCount> outcomes(long[] counts, Calibration cal) {
        List<OutcomeCount> out = new ArrayList<>();
        for (PvclockOutcome o : PvclockOutcome.values()) {
            long n = counts[o.ordinal()] + (o == PvclockOutcome.LOST_UPDATE && cal != null ? cal.lost : 0);
            out.add(new OutcomeCount(o.id(), n, o.grade(), o.description()));
        }
        return out;
    }

    private static long p(Histogram h, double pct) { return h.getValueAtPercentile(pct); }

    private static Map<String, Object> difference(Histogram a, Histogram b) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (a.getTotalCount() == 0 || b.getTotalCount() == 0) return m;
        for (double pct : new double[] {50, 90, 99}) m.put("p" + (int) pct, p(a, pct) - p(b, pct));
        return m;
    }

    private static Map<String, Object> ratios(Histogram a, Histogram b) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (a.getTotalCount() == 0 || b.getTotalCount() == 0) return m;
        m.put("p50", (double) p(a, 50) / Math.max(1, p(b, 50)));
        m.put("p99", (double) p(a, 99) / Math.max(1, p(b, 99)));
        m.put("max", (double) a.getMaxValue() / Math.max(1, b.getMaxValue()));
        return m;
    }
}
