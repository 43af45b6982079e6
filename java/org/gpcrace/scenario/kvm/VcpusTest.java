package org.gpcrace.scenario.kvm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.PvclockExtra;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.kvm.KvmApi;

/**
 * Several vCPUs, each with its own pv_time cache ("mostly per-vCPU", as the thread says), with
 * every structure on one page or each on its own page, invalidated together by one call of the
 * first source. Two parts:
 * <ul>
 *   <li>the race: one vCPU actor per vCPU against the invalidator, judged like a source test;</li>
 *   <li>refresh contention: per sample, one invalidation of all the structures, then every vCPU's
 *       KVM_RUN started at the same instant (each thread spins to a common start time), each timed;
 *       then the same with vCPU 0 alone. Every run must show its update (KVM_SET_CLOCK, nothing
 *       touches the pages first): a missing one is a lost-update.</li>
 * </ul>
 * vCPU i runs on CPU i mod 2 of --cpus: past two vCPUs the threads share CPUs and "together"
 * includes waiting for a CPU (said in the output).
 */
final class VcpusTest {
    static String name(boolean distinct) { return PvclockScenario.SCENARIO + "-vcpus-" + (distinct ? "distinct-pages" : "same-page"); }

    private final NativeBridge bridge;
    private final PvclockConfig c;
    private final boolean distinct;
    private final BooleanSupplier stop;

    VcpusTest(NativeBridge bridge, PvclockConfig c, boolean distinct, BooleanSupplier stop) {
        this.bridge = bridge;
        this.c = c;
        this.distinct = distinct;
        this.stop = stop;
    }

    TestResult run() throws InterruptedException {
        SourceOp op = PvclockSources.op(c.source(), bridge);
        PvclockGuest.Layout layout = new PvclockGuest.Layout(c.vcpus(), distinct, Backing.ANON, false);
        try (PvclockGuest guest = PvclockGuest.create(bridge, layout); op) {
            op.open(guest);
            try (Tracing trace = Tracing.open(c.trace() && !c.busted(), PvclockScenario.TRACE_KB_PER_CPU)) {
                trace.start();
                PvclockPhase race = PvclockPhase.run(bridge, c, guest, op, new PvclockPhase.Spec("vcpus", c.runs(), true, c.delayMaxNs(), false, 0),
                        stop, c.seed() + 3);
                Contention k = new Contention(guest, op);
                if (!stop.getAsBoolean()) k.measure(Math.max(3, c.calibrationSamples() / 2));
                Tracing.Result tr = trace.stop();
                PvclockScenario sc = new PvclockScenario(bridge, c, stop);
                TestResult t = sc.sourceResult(name(distinct), c.source(), op, guest, race, null, null, tr, null);
                return withContention(t, k);
            }
        }
    }

    private TestResult withContention(TestResult t, Contention k) {
        PvclockExtra x = (PvclockExtra) t.extra();
        // the notes carry the evidence line of the race alone; the block below counts the contention runs too
        PvclockExtra.Contention block = new PvclockExtra.Contention(c.vcpus(), distinct, k.samples, k.lost, PvclockScenario.p(k.alone, 50),
                PvclockScenario.p(k.alone, 99), PvclockScenario.p(k.together, 50), PvclockScenario.p(k.together, 99));
        PvclockExtra.Evidence e = x.evidence();
        if (e.available()) { // the contention phase's runs were traced too
            e = new PvclockExtra.Evidence(true, e.note(), e.unmapCoveringPvclock(), e.unmapCoveringPvclockFromOthers(), e.unmapTotal(),
                    e.pvclockUpdates(), e.kvmRuns() + k.runs, e.tlbFlushesByReason(), e.tlbFlushesPerInvalidation(), e.lostEvents(),
                    e.clockSkewNs(), e.missingEvents());
        }
        PvclockExtra nx = new PvclockExtra(x.source(), x.sourceDescription(), x.oracle(), x.race(), x.sequential(), e,
                concat(x.lostUpdates(), k.lostEvidence), x.storm(), block);
        List<LatencySummary> lat = new ArrayList<>(t.latencies());
        lat.add(LatencySummary.of("vCPU 0 alone: KVM_RUN after invalidation", Histograms.CLOCK, k.alone));
        lat.add(LatencySummary.of(c.vcpus() + " vCPUs together: KVM_RUN after invalidation", Histograms.CLOCK, k.together));
        List<String> notes = new ArrayList<>();
        for (String n : t.notes()) {
            notes.add(n.startsWith("kernel: ") ? n.replaceFirst(" for \\d+ KVM_RUNs", " for " + e.kvmRuns() + " KVM_RUNs (race and contention)") : n);
        }
        notes.add(String.format(Locale.ROOT, "refresh contention, %d vCPUs %s, %d samples: KVM_RUN after one invalidation of all, p50/p99"
                + " %d/%d ns each when started together vs %d/%d ns for vCPU 0 alone; lost %d%s", c.vcpus(),
                distinct ? "on distinct pages" : "on one page", k.samples, block.togetherP50Ns(), block.togetherP99Ns(), block.aloneP50Ns(),
                block.aloneP99Ns(), k.lost, c.vcpus() > 2 ? " (more vCPUs than the two CPUs of --cpus: they also wait for a CPU)" : ""));
        TestResult.Builder b = TestResult.builder(t.name(), t.scenario(), t.params()).expectation(t.expectation()).unit(t.unit())
                .rounds(t.rounds(), t.durationSeconds()).latencies(lat).notes(notes).extra(nx).interrupted(t.interrupted())
                .firstForbidden(t.firstForbidden());
        for (var o : t.outcomes()) {
            long n = o.count() + (o.id().equals(PvclockOutcome.LOST_UPDATE.id()) ? k.lost : 0);
            b.outcome(new org.gpcrace.result.OutcomeCount(o.id(), n, o.grade(), o.description()));
        }
        if (t.firstForbidden() == null && !k.lostEvidence.isEmpty()) {
            b.firstForbidden(new TestResult.FirstForbidden(PvclockOutcome.LOST_UPDATE.id(), k.lostEvidence.getFirst().run(), 0));
        }
        for (var f : t.figures()) b.figure(f.name(), f.value(), f.unit());
        b.figure("contentionTogetherP50", block.togetherP50Ns(), "ns").figure("contentionAloneP50", block.aloneP50Ns(), "ns");
        return b.build();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** The refresh-contention measurement: pinned vCPU threads started together at a common instant. */
    private final class Contention {
        final PvclockGuest guest;
        final SourceOp op;
        final Histogram alone = Histograms.ns(), together = Histograms.ns();
        final List<PvclockExtra.LostUpdate> lostEvidence = new ArrayList<>();
        long samples, lost;
        final java.util.concurrent.atomic.AtomicLong runCount = new java.util.concurrent.atomic.AtomicLong();
        long runs;
        private final long[] lastSystemTime;
        private volatile long startAt;
        private volatile int generation;
        private volatile boolean[] active;
        private final AtomicInteger done = new AtomicInteger();
        private volatile boolean quit;
        private volatile Throwable failure;

        Contention(PvclockGuest guest, SourceOp op) {
            this.guest = guest;
            this.op = op;
            this.lastSystemTime = new long[guest.vcpuCount()];
            java.util.Arrays.fill(lastSystemTime, Long.MIN_VALUE);
        }

        void measure(long n) throws InterruptedException {
            List<Thread> threads = new ArrayList<>();
            for (int v = 0; v < guest.vcpuCount(); v++) {
                int idx = v;
                threads.add(Thread.ofPlatform().name("gpcrace-vcpu-" + v).daemon(true).start(() -> vcpuLoop(idx)));
            }
            boolean[] all = new boolean[guest.vcpuCount()], first = new boolean[guest.vcpuCount()];
            java.util.Arrays.fill(all, true);
            first[0] = true;
            try {
                for (long i = 0; i < n && !stop.getAsBoolean() && failure == null; i++) {
                    round(all, null);            // every cache valid
                    op.invalidate();
                    round(all, together);        // all refresh at once
                    round(all, null);
                    op.invalidate();
                    round(first, alone);         // vCPU 0 refreshes alone
                    samples++;
                }
            } finally {
                quit = true;
                for (Thread t : threads) {
                    LockSupport.unpark(t);
                    t.join(5000);
                }
            }
            runs = runCount.get();
            if (failure != null) throw new IllegalStateException("vCPU thread failed: " + failure.getMessage(), failure);
        }

        private volatile Histogram into;

        /** One KVM_RUN on each active vCPU, all starting at the same instant. */
        private void round(boolean[] which, Histogram h) {
            guest.vm().setClock(guest.vm().getClock());
            int expected = 0;
            for (boolean b : which) if (b) expected++;
            done.set(0);
            into = h;
            active = which;
            startAt = System.nanoTime() + 300_000;
            generation = generation + 1;
            long deadline = System.nanoTime() + c.hangNs();
            while (done.get() < expected) {
                if (failure != null) return;
                if (System.nanoTime() > deadline) throw new IllegalStateException("a vCPU did not finish its KVM_RUN within --hang-ms");
                Thread.onSpinWait();
            }
        }

        private void vcpuLoop(int v) {
            try {
                bridge.pinToCpu(PvclockPhase.cpuOf(c, v));
                int seen = 0;
                while (!quit) {
                    int g = generation;
                    if (g == seen) {
                        LockSupport.parkNanos(20_000);
                        continue;
                    }
                    seen = g;
                    if (!active[v]) continue;
                    while (System.nanoTime() < startAt) Thread.onSpinWait();
                    int region = guest.currentRegion();
                    long t0 = System.nanoTime();
                    int exit = guest.vcpu(v).run();
                    long t1 = System.nanoTime();
                    runCount.incrementAndGet();
                    if (exit != KvmApi.KVM_EXIT_HLT) throw new IllegalStateException("vCPU " + v + ": " + KvmApi.exitName(exit));
                    check(v, region, t0, t1);
                    Histogram h = into;
                    if (h != null) {
                        synchronized (h) {
                            Histograms.record(h, t1 - t0);
                        }
                    }
                    done.incrementAndGet();
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        private void check(int v, int region, long t0, long t1) {
            int version = guest.pvclockVersion(region, v), mul = guest.pvclockMul(region, v);
            long st = guest.pvclockSystemTime(region, v);
            boolean advanced = st > lastSystemTime[v];
            if (version == 0 || (version & 1) != 0 || mul == 0 || !advanced) {
                synchronized (this) {
                    lost++;
                    if (lostEvidence.size() < PvclockVcpu.LOST_EVIDENCE_MAX) {
                        lostEvidence.add(new PvclockExtra.LostUpdate("contention", v, samples, PvclockVcpu.failedCheck(version, mul, advanced),
                                version, st, lastSystemTime[v], mul, 0, t0, t1, t1, null, null));
                    }
                }
            } else {
                lastSystemTime[v] = st;
            }
        }
    }
}
