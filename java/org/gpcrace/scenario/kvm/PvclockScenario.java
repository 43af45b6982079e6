package org.gpcrace.scenario.kvm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.gpcrace.bridge.CapabilityMissingException;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.protocol.Source;
import org.gpcrace.result.Expectation;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.MemslotUpdatesExtra;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.PvclockExtra;
import org.gpcrace.result.Skip;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.kvm.KvmUnavailableException;

/**
 * kvm-pvclock: a live KVM gfn-to-pfn cache (kvmclock's pv_time) under every invalidation a host
 * really sees.
 *
 * <pre>
 *   gpcrace run kvm-pvclock [--source dontneed,ksm,...|all|none] [--storm] [--memslot-updates] [--vcpus N] [--kick]
 * </pre>
 *
 * Tests, each a results.json entry and a console block:
 * <ul>
 *   <li>{@code kvm-pvclock-<source>}, one per source: the vCPU actor against the invalidator
 *       ({@link PvclockOutcome}), judged by the kernel's own notifier events where tracefs can be
 *       used ({@link TraceJudge}), else by the invalidator's system-call intervals; then the
 *       sequential phase ({@link Sequential}): the refresh cost and the invalidation's own cost
 *       with and without the cache; the kernel-side evidence ({@link EvidenceOf}); what the
 *       outcomes can and cannot show ({@link OracleStatement}).</li>
 *   <li>{@code kvm-pvclock-storm} (--storm): the same with a storm of invalidations of an unrelated
 *       range running: the refresh latency inflation, and the runs over the bound.</li>
 *   <li>{@code kvm-pvclock-memslot-updates} (--memslot-updates): memslot create/delete latency
 *       with no invalidations vs under a back-to-back invalidation stream (the unfair
 *       wait of the April 2021 kvm-list thread on mmu_lock for range invalidation), in alternating blocks so background load falls on both alike.</li>
 *   <li>{@code kvm-pvclock-vcpus-same-page}, {@code -distinct-pages} (--vcpus N): {@link VcpusTest}.</li>
 *   <li>{@code kvm-pvclock-kick} (--kick): {@link KickTest}.</li>
 * </ul>
 * Needs /dev/kvm; when it cannot be used every planned test is reported skipped, with the fix.
 */
public final class PvclockScenario {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PvclockScenario.class);
    public static final String SCENARIO = "kvm-pvclock";
    public static final String STORM = "kvm-pvclock-storm";
    public static final String MEMSLOT_UPDATES = "kvm-pvclock-memslot-updates";
    /** Memslot pairs per block of the alternating no-stream / stream comparison. */
    static final long MEMSLOT_BLOCK = 50;
    /** Trace buffer per CPU: a storm phase records ~10^5 events. */
    static final int TRACE_KB_PER_CPU = 16384;

    private final NativeBridge bridge;
    private final PvclockConfig c;
    private final BooleanSupplier stopRequested;

    public PvclockScenario(NativeBridge bridge, PvclockConfig config, BooleanSupplier stopRequested) {
        this.bridge = bridge;
        this.c = config;
        this.stopRequested = stopRequested;
    }

    /** The race test of one source ("none" for null). */
    public static String testName(Source s) { return SCENARIO + "-" + PvclockSources.id(s); }

    /** The tests this configuration runs, in order. */
    public List<String> planned() {
        List<String> names = new ArrayList<>();
        if (c.sources().isEmpty()) names.add(testName(null));
        for (Source s : c.sources()) names.add(testName(s));
        if (c.stormRuns() > 0) names.add(STORM);
        if (c.memslotPairs() > 0) names.add(MEMSLOT_UPDATES);
        if (c.vcpus() > 1) names.addAll(List.of(VcpusTest.name(false), VcpusTest.name(true)));
        if (c.kickSamples() > 0) names.add(KickTest.NAME);
        return names;
    }

    /** Runs every planned test; {@code onTest} sees each as soon as it is finished. */
    public List<TestResult> run(Consumer<TestResult> onTest) throws InterruptedException {
        List<TestResult> tests = new ArrayList<>();
        Consumer<TestResult> emit = t -> {
            tests.add(t);
            onTest.accept(t);
        };
        List<Source> sources = c.sources().isEmpty() ? java.util.Collections.singletonList(null) : c.sources();
        for (Source s : sources) {
            if (stopRequested.getAsBoolean()) return tests;
            emit.accept(guarded(testName(s), s, () -> sourceTest(s)));
        }
        if (c.stormRuns() > 0 && !stopRequested.getAsBoolean()) emit.accept(guarded(STORM, c.source(), this::stormTest));
        if (c.memslotPairs() > 0 && !stopRequested.getAsBoolean()) emit.accept(guarded(MEMSLOT_UPDATES, c.source(), this::memslotTestOwnGuest));
        for (boolean distinct : new boolean[] {false, true}) {
            if (c.vcpus() > 1 && !stopRequested.getAsBoolean()) {
                emit.accept(guarded(VcpusTest.name(distinct), c.source(), () -> new VcpusTest(bridge, c, distinct, stopRequested).run()));
            }
        }
        if (c.kickSamples() > 0 && !stopRequested.getAsBoolean()) {
            emit.accept(guarded(KickTest.NAME, Source.DONTNEED, () -> new KickTest(bridge, c, stopRequested).run()));
        }
        return tests;
    }

    interface TestBody {
        TestResult run() throws InterruptedException;
    }

    /** A test that cannot run here is a skip with its fix; any other failure is that test's, and the run goes on. */
    private TestResult guarded(String name, Source s, TestBody body) throws InterruptedException {
        try {
            return body.run();
        } catch (KvmUnavailableException e) {
            return TestResult.skipped(name, SCENARIO, c.asMap(s), e.skip());
        } catch (CapabilityMissingException e) {
            return TestResult.skipped(name, SCENARIO, c.asMap(s), new Skip(e.reason(), e.fix()));
        } catch (RuntimeException e) {
            return TestResult.failed(name, SCENARIO, c.asMap(s), String.valueOf(e.getMessage()));
        }
    }

    private static TestResult rebuildNotes(TestResult t, List<String> notes) {
        return new TestResult(t.name(), t.scenario(), t.params(), t.status(), t.skip(), t.error(), t.interrupted(), t.expectation(),
                t.verdict(), t.verdictReason(), t.unit(), t.rounds(), t.durationSeconds(), t.roundsPerSecond(), t.forbiddenRounds(),
                t.outcomes(), t.firstForbidden(), t.latencies(), t.figures(), t.tables(), notes, t.extra());
    }

    /**
     * Only the memslot-updates test (memslot-fairness compares its model with it): the guest, then
     * {@code kvm-pvclock-memslot-updates}; skipped with the fix when /dev/kvm cannot be used.
     */
    public TestResult runMemslotOnly() throws InterruptedException {
        if (c.memslotPairs() <= 0) throw new IllegalArgumentException("memslot pairs must be > 0");
        return guarded(MEMSLOT_UPDATES, c.source(), this::memslotTestOwnGuest);
    }

    // ---- one source

    private TestResult sourceTest(Source s) throws InterruptedException {
        SourceOp op = s == null ? null : PvclockSources.op(s, bridge);
        PvclockGuest.Layout layout = new PvclockGuest.Layout(1, false, op == null ? org.gpcrace.sys.Backing.ANON : op.backing(),
                op != null && op.alternateRegion());
        try (PvclockGuest guest = PvclockGuest.create(bridge, layout); op) {
            if (op != null) op.open(guest);
            LOG.debug("kvm-pvclock-{}: guest created; vCPU actor on cpu{}, invalidator on cpu{}", PvclockSources.id(s), c.vcpuCpu(),
                    c.invalidatorCpu());
            try (Tracing trace = Tracing.open(c.trace() && !c.busted(), TRACE_KB_PER_CPU)) {
                trace.start();
                PvclockPhase race = null;
                String raceNote = null;
                if (op == null || op.boundedBySyscalls() || trace.available()) {
                    race = PvclockPhase.run(bridge, c, guest, op, new PvclockPhase.Spec("race", c.runs(), op != null, c.delayMaxNs(), false, 0),
                            stopRequested, c.seed());
                } else {
                    raceNote = "race left out: " + s.id() + " invalidates on the kernel's own time and the trace that would judge it is"
                            + " unavailable (" + trace.note() + ")";
                }
                Sequential seq = op != null && c.calibrationSamples() > 0 && !stopRequested.getAsBoolean() ? sequential(guest, op, false) : null;
                Tracing.Result tr = trace.stop();
                return sourceResult(testName(s), s, op, guest, race, raceNote, seq, tr, null);
            }
        }
    }

    /** The sequential phase on vCPU 0's CPU, with the storm running on the other when asked. */
    private Sequential sequential(PvclockGuest guest, SourceOp op, boolean withStorm) throws InterruptedException {
        StormActor storm = withStorm ? new StormActor(bridge, c.invalidatorCpu(), c.stormPages(), c.stormTouch()) : null;
        Sequential seq = null;
        try {
            if (storm != null) {
                storm.start();
                storm.awaitReady(2000);
            }
            long samples = stopRequested.getAsBoolean() ? 0 : c.calibrationSamples(); // interrupted: release everything now
            seq = new Sequential(bridge, c.vcpuCpu(), guest, op, samples, c.sequentialBudgetNs());
            seq.start();
            while (seq.isAlive()) {
                seq.join(10);
                if (stopRequested.getAsBoolean()) seq.requestStop();
            }
        } finally {
            if (seq != null) {
                seq.stopAndJoin(0);
                seq.close();
            }
            if (storm != null && storm.stopAndJoin(Math.max(1000, c.hangNs() / 1_000_000))) storm.close();
        }
        seq.rethrowFailure();
        if (storm != null) storm.rethrowFailure();
        return seq;
    }

    /**
     * KVM's own GPC must never lose an update; with --busted (the invalidator hides its intervals
     * and no trace judges) missing updates cannot be excused, so lost-update is the race that
     * negative control shows.
     */
    Expectation expectation() {
        return c.busted() ? Expectation.unsafe("negative control: invalidations are not logged, so a zapped update cannot be excused",
                PvclockOutcome.LOST_UPDATE.id())
                : Expectation.safe("KVM's pv_time cache is invalidated before the page goes (gfn_to_pfn_cache_invalidate_start, or the"
                        + " memslot generation) and refreshed before KVM writes (hva_to_pfn_retry)");
    }

    // ---- results

    /** Everything a race + sequential test reports (the storm test adds its block). */
    TestResult sourceResult(String name, Source s, SourceOp op, PvclockGuest guest, PvclockPhase race, String raceNote, Sequential seq,
            Tracing.Result tr, PvclockExtra.Storm storm) {
        long[] syscall = race == null ? new long[PvclockOutcome.values().length] : race.counts();
        List<Long> hvas = new ArrayList<>();
        for (int r = 0; r < guest.regions(); r++) for (int v = 0; v < guest.vcpuCount(); v++) hvas.add(guest.pvclockAddress(r, v));
        boolean recordsComplete = race != null && race.vcpus.stream().allMatch(v -> v.records.dropped() == 0);
        boolean byTrace = race != null && tr.capture() != null && tr.capture().trustworthy() && !c.busted() && (op == null || !op.lasting())
                && recordsComplete;
        TraceJudge.Result judged = byTrace ? TraceJudge.judge(guest, race.vcpus, tr.capture().events(), race.startNanos, race.invalidator) : null;
        long[] counts = judged != null ? judged.counts() : syscall;
        long runs = race == null ? 0 : race.runs();
        long excused = counts[PvclockOutcome.INVALIDATED_DURING.ordinal()];
        long seqRuns = seq == null ? 0 : seq.runs;
        long invalidations = (race == null || race.invalidator == null ? 0 : race.invalidator.invalidations()) + (seq == null ? 0 : 2 * seq.done);
        PvclockExtra.Evidence evidence = tr.capture() == null ? PvclockExtra.Evidence.unavailable(tr.note())
                : EvidenceOf.of(tr.capture(), hvas, runs + seqRuns, invalidations);
        PvclockExtra.Oracle oracle = OracleStatement.of(op, judged != null, c.busted(), excused, runs, seq != null);

        List<LatencySummary> lat = new ArrayList<>();
        String what = s == null ? "" : s.id();
        if (seq != null) {
            lat.add(LatencySummary.of("KVM_RUN fast path", Histograms.CLOCK, seq.fastRun));
            lat.add(LatencySummary.of("KVM_RUN after invalidation", Histograms.CLOCK, seq.refreshRun));
            lat.add(LatencySummary.of(what + ", cache active", Histograms.CLOCK, seq.withCache));
            lat.add(LatencySummary.of(what + ", cache deactivated", Histograms.CLOCK, seq.withoutCache));
        }
        if (race != null) {
            lat.add(LatencySummary.of("race: KVM_RUN, all runs", Histograms.CLOCK, merged(race, 0)));
            lat.add(LatencySummary.of("race: KVM_RUN fast path", Histograms.CLOCK, merged(race, 1)));
            lat.add(LatencySummary.of("race: KVM_RUN after refresh", Histograms.CLOCK, merged(race, 2)));
            if (race.invalidator != null && race.invalidator.duration.getTotalCount() > 0) {
                lat.add(LatencySummary.of("race: invalidator " + what, Histograms.CLOCK, race.invalidator.duration));
            }
        }

        List<PvclockExtra.LostUpdate> lost = new ArrayList<>();
        if (judged != null) lost.addAll(judged.lost());
        else if (race != null) race.vcpus.forEach(v -> lost.addAll(v.lostEvidence));
        if (seq != null) lost.addAll(seq.lostEvidence);

        Map<String, Long> syscallMap = new LinkedHashMap<>();
        for (PvclockOutcome o : PvclockOutcome.values()) syscallMap.put(o.id(), syscall[o.ordinal()]);
        long visible = race == null ? 0 : race.vcpus.stream().mapToLong(v -> v.overlappedVisible).sum();
        long refusals = op instanceof HugePageOp h ? h.collapseRefusals : op instanceof KsmOp k ? k.mergeTimeouts : 0;
        PvclockExtra.Race raceBlock = new PvclockExtra.Race(guest.vcpuCount(), runs,
                race == null || race.invalidator == null ? 0 : race.invalidator.invalidations(),
                race == null || race.invalidator == null ? 0 : race.invalidator.cycles(), visible,
                syscall[PvclockOutcome.INVALIDATED_DURING.ordinal()] - visible,
                race == null ? 0 : race.vcpus.stream().mapToLong(v -> v.strictlyAdvanced).sum(), race == null ? 0 : race.logOverruns(),
                syscallMap, judged == null ? 0 : judged.excused(), judged == null ? 0 : judged.cleared(),
                judged == null ? 0 : judged.clearedFresh(), judged == null ? 0 : judged.added(), judged == null ? 0 : judged.addedByOthers(),
                judged == null ? null : new PvclockExtra.TraceWindows(judged.windowsHarness(), judged.windowsOwn(), judged.windowsOthers(),
                        judged.windowsUnmatched()), refusals, raceNote);
        PvclockExtra.Sequential seqBlock = seq == null ? null : new PvclockExtra.Sequential(seq.done, seq.runs, seq.lost, seq.effective,
                seq.ineffective, seq.unknownEffect, op.effectMeaning(), seq.frameChanged, p(seq.refreshRun, 50) - p(seq.fastRun, 50),
                p(seq.refreshRun, 99) - p(seq.fastRun, 99), p(seq.withCache, 50), p(seq.withCache, 99), p(seq.withoutCache, 50),
                p(seq.withoutCache, 99));
        PvclockExtra extra = new PvclockExtra(PvclockSources.id(s), s == null ? "no invalidator" : s.description(), oracle, raceBlock, seqBlock,
                evidence, lost, storm, null);

        TestResult.Builder b = TestResult.builder(name, SCENARIO, c.asMap(s)).expectation(expectation()).unit("runs")
                .rounds(runs, race == null ? 0 : race.seconds).latencies(lat).extra(extra).interrupted(race != null && race.interrupted);
        for (PvclockOutcome o : PvclockOutcome.values()) {
            long n = counts[o.ordinal()] + (o == PvclockOutcome.LOST_UPDATE && seq != null ? seq.lost : 0);
            b.outcome(new OutcomeCount(o.id(), n, o.grade(), o.description()));
        }
        b.firstForbidden(firstForbidden(race, judged, seq));
        if (seqBlock != null) {
            b.figure("refreshCostP50", seqBlock.refreshCostP50Ns(), "ns").figure("refreshCostP99", seqBlock.refreshCostP99Ns(), "ns");
            b.figure("invalidationCacheActiveP50", seqBlock.withCacheP50Ns(), "ns")
                    .figure("invalidationCacheDeactivatedP50", seqBlock.withoutCacheP50Ns(), "ns");
        }
        b.notes(notes(s, op, race, raceNote, seq, extra, judged, tr));
        return b.build();
    }

    private static TestResult.FirstForbidden firstForbidden(PvclockPhase race, TraceJudge.Result judged, Sequential seq) {
        if (race != null && race.hang) return new TestResult.FirstForbidden(PvclockOutcome.HANG.id(), race.runs(), race.seconds * 1e3);
        if (judged != null && judged.firstLostRun() >= 0) {
            return new TestResult.FirstForbidden(PvclockOutcome.LOST_UPDATE.id(), judged.firstLostRun(), judged.firstLostNanos() / 1e6);
        }
        if (judged == null && race != null) {
            for (PvclockVcpu v : race.vcpus) {
                if (v.firstForbidden != null) return new TestResult.FirstForbidden(v.firstForbidden, v.firstForbiddenRun, v.firstForbiddenNanos / 1e6);
            }
        }
        if (seq != null && !seq.lostEvidence.isEmpty()) {
            PvclockExtra.LostUpdate l = seq.lostEvidence.getFirst();
            return new TestResult.FirstForbidden(PvclockOutcome.LOST_UPDATE.id(), l.run(), l.readNs() / 1e6);
        }
        return null;
    }

    private List<String> notes(Source s, SourceOp op, PvclockPhase race, String raceNote, Sequential seq, PvclockExtra x,
            TraceJudge.Result judged, Tracing.Result tr) {
        List<String> n = new ArrayList<>();
        PvclockExtra.Oracle o = x.oracle();
        n.add("oracle: " + o.judgedBy() + "; the page " + o.frame());
        for (String l : o.canShow()) n.add("can show: " + l);
        for (String l : o.cannotShow()) n.add("cannot show: " + l);
        if (raceNote != null) n.add(raceNote);
        if (op instanceof MigrateOp m) n.add("migrate here: " + m.how());
        PvclockExtra.Race r = x.race();
        if (race != null) {
            n.add(String.format(Locale.ROOT, "race: %d invalidations (%s) in %d cycles; invalidated-during by the system calls: update visible %d,"
                    + " gone %d%s", r.invalidations(), s == null ? "no invalidator" : s.id(), r.invalidatorCycles(), r.overlappedUpdateVisible(),
                    r.overlappedUpdateGone(), c.clockUpdate().strictlyAdvancing() ? "" : "; kvmclock-ctrl rewrites the same value: not going back is the check"));
            if (judged != null) {
                PvclockExtra.TraceWindows w = r.traceWindows();
                n.add(String.format(Locale.ROOT, "trace oracle: %d runs excused by an invalidation's effect window on the page meeting"
                        + " [zero, read] (the system calls excused %d); %d runs the calls excused were judged by their update (%d had it);"
                        + " %d excused by the trace alone (%d only by another task's invalidation); windows: %d harness calls, %d the vCPU"
                        + " thread's own, %d other tasks, %d outside every call", r.traceExcused(),
                        r.syscallOracle().get(PvclockOutcome.INVALIDATED_DURING.id()), r.traceCleared(), r.traceClearedFresh(), r.traceAdded(),
                        r.traceAddedByOthers(), w.harnessCalls(), w.vcpuThread(), w.otherTasks(), w.outsideEveryCall()));
            }
            if (r.logOverruns() > 0) n.add("!!! " + r.logOverruns() + " runs judged without their invalidation intervals (log overrun): counted as invalidated-during");
            if (r.sourceRefusals() > 0) n.add(r.sourceRefusals() + (op instanceof KsmOp ? " KSM merges not seen within 1 s" : " MADV_COLLAPSE calls refused transiently (EAGAIN/EBUSY)"));
            if (race.interrupted) n.add("interrupted: partial phase");
        }
        PvclockExtra.Sequential q = x.sequential();
        if (q != null) {
            n.add(String.format(Locale.ROOT, "sequential: %d samples, %d runs, lost %d%s; refresh cost (KVM_RUN after invalidation - fast path)"
                    + " p50 %+d ns, p99 %+d ns", q.samples(), q.runs(), q.lostUpdates(), q.lostUpdates() > 0 ? " !!! counted as lost-update" : "",
                    q.refreshCostP50Ns(), q.refreshCostP99Ns()));
            n.add(String.format(Locale.ROOT, "%s itself, p50/p99: cache active %d/%d ns, cache deactivated %d/%d ns", s.id(), q.withCacheP50Ns(),
                    q.withCacheP99Ns(), q.withoutCacheP50Ns(), q.withoutCacheP99Ns()));
            if (q.effectMeaning() != null) {
                n.add(String.format(Locale.ROOT, "effect: %d of %d invalidations did it (%s)", q.effective(), q.samples(), q.effectMeaning()));
            }
            n.add(String.format(Locale.ROOT, "frame: the pvclock page was on another frame after %d of %d invalidations", q.frameChanged(), q.samples()));
        }
        PvclockExtra.Evidence e = x.evidence();
        if (e.available()) {
            n.add(String.format(Locale.ROOT, "kernel: kvm_unmap_hva_range on the pvclock page %d (%d by other tasks), %d of this process in all;"
                    + " kvm_pvclock_update %d for %d KVM_RUNs; TLB flushes %s (%.2f per notifier event on the page); trace %s", e.unmapCoveringPvclock(),
                    e.unmapCoveringPvclockFromOthers(), e.unmapTotal(), e.pvclockUpdates(), e.kvmRuns(), e.tlbFlushesByReason(),
                    e.tlbFlushesPerInvalidation(), e.note()));
            if (!e.missingEvents().isEmpty()) n.add("trace events this kernel does not have: " + e.missingEvents());
        } else {
            n.add("kernel-side evidence skipped: " + e.note());
        }
        for (PvclockExtra.LostUpdate l : x.lostUpdates()) n.add("!!! lost-update evidence: " + l);
        return n;
    }

    /** Histograms of every vCPU: 0 all runs, 1 fast path, 2 after refresh. */
    private static Histogram merged(PvclockPhase ph, int which) {
        Histogram h = Histograms.ns();
        for (PvclockVcpu v : ph.vcpus) h.add(which == 0 ? v.allRuns : which == 1 ? v.fastPath : v.afterInvalidation);
        return h;
    }

    // ---- storm

    private TestResult stormTest() throws InterruptedException {
        Source s = c.source();
        SourceOp op = PvclockSources.op(s, bridge);
        try (PvclockGuest guest = PvclockGuest.create(bridge); op) {
            op.open(guest);
            // quiet refresh cost first, for the inflation ratios
            Sequential quiet = c.calibrationSamples() > 0 ? sequential(guest, op, false) : null;
            try (Tracing trace = Tracing.open(c.trace() && !c.busted(), TRACE_KB_PER_CPU)) {
                trace.start();
                PvclockPhase race = PvclockPhase.run(bridge, c, guest, op, new PvclockPhase.Spec("storm", c.stormRuns(), true, c.delayMaxNs(), true, 0),
                        stopRequested, c.seed() + 1);
                Sequential seq = c.calibrationSamples() > 0 && !stopRequested.getAsBoolean() ? sequential(guest, op, true) : null;
                Tracing.Result tr = trace.stop();
                long over = race.counts()[PvclockOutcome.SLOW_RUN.ordinal()];
                Histogram all = merged(race, 0);
                long longest = Math.max(all.getMaxValue(), seq == null ? 0 : seq.refreshRun.getMaxValue());
                PvclockExtra.Storm storm = new PvclockExtra.Storm(race.stormInvalidations,
                        race.seconds > 0 ? race.stormInvalidations / race.seconds : 0, c.stormPages(), over, longest,
                        quiet == null || seq == null ? null : ratio(seq.refreshRun, quiet.refreshRun),
                        quiet == null || seq == null ? null : ratio(seq.fastRun, quiet.fastRun));
                TestResult t = sourceResult(STORM, s, op, guest, race, null, seq, tr, storm);
                List<String> n = new ArrayList<>(t.notes());
                n.add(String.format(Locale.ROOT, "storm: %d invalidations of an unrelated %d-page range during the race (%.0f/s)",
                        storm.invalidations(), c.stormPages(), storm.perSecond()));
                if (storm.refreshInflation() != null) {
                    n.add(String.format(Locale.ROOT, "refresh inflation (KVM_RUN after invalidation, storm / quiet): p50 x%.2f, p99 x%.2f, max"
                            + " x%.2f (fast path: p50 x%.2f)", storm.refreshInflation().p50(), storm.refreshInflation().p99(),
                            storm.refreshInflation().max(), storm.fastPathInflation().p50()));
                }
                n.add(String.format(Locale.ROOT, "runs over the %.3f ms bound: %d of %d race runs; longest KVM_RUN %d ns%s", c.runBoundNs() / 1e6,
                        over, race.runs(), longest, longest > c.runBoundNs() ? " (over the bound)" : ""));
                return rebuildNotes(t, n);
            }
        }
    }

    // ---- memslot updates

    private TestResult memslotTestOwnGuest() throws InterruptedException {
        SourceOp op = PvclockSources.op(c.source(), bridge);
        try (PvclockGuest guest = PvclockGuest.create(bridge); op) {
            op.open(guest);
            return memslotResult(guest, op);
        }
    }

    /** Alternating blocks: no stream, then stream, until the pairs are done (or Ctrl-C). */
    private TestResult memslotResult(PvclockGuest guest, SourceOp op) throws InterruptedException {
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
                PvclockPhase ph = PvclockPhase.run(bridge, c, guest, op, new PvclockPhase.Spec(withStream ? "memslot-stream" : "memslot-quiet", 0,
                        withStream, 0, withStream && c.stormRuns() > 0, block), stopRequested, seed++);
                Histogram[] into = withStream ? stream : quiet;
                into[0].add(ph.memslot.create);
                into[1].add(ph.memslot.delete);
                if (withStream) pairsStream += ph.memslot.done();
                else pairsQuiet += ph.memslot.done();
                PvclockVcpu v = ph.vcpus.getFirst();
                if (ff == null && v.firstForbidden != null) {
                    ff = new TestResult.FirstForbidden(v.firstForbidden, runs + v.firstForbiddenRun, secs * 1e3 + v.firstForbiddenNanos / 1e6);
                }
                long[] pc = ph.counts();
                for (int i = 0; i < counts.length; i++) counts[i] += pc[i];
                runs += ph.runs();
                secs += ph.seconds;
                invalidations += (ph.invalidator == null ? 0 : ph.invalidator.invalidations()) + ph.stormInvalidations;
                overruns += ph.logOverruns();
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
        MemslotUpdatesExtra extra = new MemslotUpdatesExtra(pairsQuiet, pairsStream, MEMSLOT_BLOCK, invalidations, ratio(stream[0], quiet[0]),
                ratio(stream[1], quiet[1]), overruns);
        TestResult.Builder b = TestResult.builder(MEMSLOT_UPDATES, SCENARIO, c.asMap(c.source())).expectation(expectation()).unit("runs")
                .rounds(runs, secs).firstForbidden(ff).latencies(lat).extra(extra).interrupted(interrupted);
        for (PvclockOutcome o : PvclockOutcome.values()) b.outcome(new OutcomeCount(o.id(), counts[o.ordinal()], o.grade(), o.description()));
        b.note(String.format(Locale.ROOT, "memslot update p50/p99 (ns): create %d/%d -> %d/%d under the stream; delete %d/%d -> %d/%d",
                p(quiet[0], 50), p(quiet[0], 99), p(stream[0], 50), p(stream[0], 99),
                p(quiet[1], 50), p(quiet[1], 99), p(stream[1], 50), p(stream[1], 99)));
        b.note(String.format(Locale.ROOT, "stream: back-to-back %s of the pvclock page%s, %d invalidations; blocks of %d pairs alternate"
                + " no-stream / stream; the vCPU runs every ~100 us meanwhile (judged by the system calls)", c.source().id(),
                c.stormRuns() > 0 ? " plus the storm" : "", invalidations, MEMSLOT_BLOCK));
        if (overruns > 0) b.note("!!! " + overruns + " runs judged without their invalidation intervals (log overrun): counted as invalidated-during");
        return b.build();
    }

    static long p(Histogram h, double pct) { return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(pct); }

    static PvclockExtra.Ratio ratio(Histogram a, Histogram b) {
        if (a.getTotalCount() == 0 || b.getTotalCount() == 0) return null;
        return new PvclockExtra.Ratio((double) p(a, 50) / Math.max(1, p(b, 50)), (double) p(a, 99) / Math.max(1, p(b, 99)),
                (double) a.getMaxValue() / Math.max(1, b.getMaxValue()));
    }
}
