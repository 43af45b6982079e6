package org.gpcrace.scenario.kvm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.gpcrace.bridge.NativeBridge;

/**
 * One race phase of kvm-pvclock: one actor per vCPU plus the actors the phase asks for, started
 * together, watched by the calling thread (watchdog: a KVM_RUN longer than the hang bound is a
 * {@code hang}; Ctrl-C or an actor's failure stops the phase), then stopped and joined. Every
 * range an actor mapped is unmapped before it returns, also on failure.
 */
final class PvclockPhase {
    /** What the phase asks for. */
    record Spec(String label, long maxRuns, boolean invalidate, long delayMaxNs, boolean storm, long memslotPairs) {
        /** Memslot phases measure the updater: the vCPU runs now and then instead of hogging the updater's CPU. */
        long vcpuParkNs() { return memslotPairs > 0 ? 100_000 : 0; }
    }

    /** A race runs past --runs until the invalidator has done this many cycles (at most EXTEND_CAP_NS from the start). */
    static final long MIN_CYCLES = 20, EXTEND_CAP_NS = 10_000_000_000L;

    final Spec spec;
    final List<PvclockVcpu> vcpus = new ArrayList<>();
    PvclockInvalidator invalidator;
    long stormInvalidations;
    MemslotUpdater memslot;
    double seconds;
    long startNanos;
    boolean hang;
    boolean interrupted;

    private PvclockPhase(Spec spec) { this.spec = spec; }

    /** vCPU 0 on the vCPU CPU; further vCPUs alternate between the two CPUs (oversubscribed past two). */
    static int cpuOf(PvclockConfig c, int v) { return v % 2 == 0 ? c.vcpuCpu() : c.invalidatorCpu(); }

    /**
     * @param op the source (null: no invalidator even when {@code spec.invalidate()})
     */
    static PvclockPhase run(NativeBridge bridge, PvclockConfig c, PvclockGuest guest, SourceOp op, Spec spec, BooleanSupplier stopRequested,
            long seed) throws InterruptedException {
        InvalidationLog log = new InvalidationLog(1 << 16, !c.busted());
        PvclockPhase ph = new PvclockPhase(spec);
        WriteGate gate = op instanceof MprotectOp m ? m.gate(guest.vcpuCount()) : null;
        long expected = spec.memslotPairs() > 0 ? RunRecords.MAX : spec.maxRuns();
        for (int v = 0; v < guest.vcpuCount(); v++) {
            ph.vcpus.add(new PvclockVcpu(v, guest, c.clockUpdate(), log, gate, c.runBoundNs(), op == null || !spec.invalidate() ? 0
                    : op.vcpuGapMinNs(), c.vcpuGapMaxNs(), spec.vcpuParkNs(),
                    seed ^ (0x5eedL + v), expected));
        }
        List<Actor> helpers = new ArrayList<>();
        StormActor storm = null;
        List<VcpuActor> actors = new ArrayList<>();
        long t0 = System.nanoTime(), t1 = t0;
        try {
            if (spec.invalidate() && op != null) {
                ph.invalidator = new PvclockInvalidator(bridge, c.invalidatorCpu(), op, spec.delayMaxNs(), log, seed);
                helpers.add(ph.invalidator);
            }
            if (spec.storm()) helpers.add(storm = new StormActor(bridge, c.invalidatorCpu(), c.stormPages(), c.stormTouch()));
            if (spec.memslotPairs() > 0) helpers.add(ph.memslot = new MemslotUpdater(bridge, c.vcpuCpu(), guest.vm(), spec.memslotPairs()));
            for (Actor a : helpers) if (a != ph.memslot) a.start();
            for (Actor a : helpers) if (a != ph.memslot) a.awaitReady(2000);
            t0 = System.nanoTime();
            ph.startNanos = t0;
            long max = spec.memslotPairs() > 0 ? Long.MAX_VALUE : spec.maxRuns();
            // a slow source (fork, compaction: tens of ms a cycle) gets MIN_CYCLES cycles however fast the runs are
            PvclockInvalidator inv = ph.invalidator;
            long deadline = t0 + EXTEND_CAP_NS;
            java.util.function.BooleanSupplier extend = inv == null || spec.memslotPairs() > 0 ? () -> false
                    : () -> inv.cycles() < MIN_CYCLES && System.nanoTime() < deadline;
            for (PvclockVcpu v : ph.vcpus) actors.add(new VcpuActor(bridge, cpuOf(c, v.index), v, max, extend, t0));
            for (VcpuActor a : actors) a.start();
            if (ph.memslot != null) ph.memslot.start();
            ph.watch(c, actors, helpers, stopRequested);
            t1 = System.nanoTime();
        } finally {
            ph.stopAll(c, actors, helpers, storm);
        }
        ph.seconds = (t1 - t0) / 1e9;
        for (VcpuActor a : actors) a.rethrowFailure();
        for (Actor a : helpers) a.rethrowFailure();
        return ph;
    }

    private void watch(PvclockConfig c, List<VcpuActor> actors, List<Actor> helpers, BooleanSupplier stopRequested) throws InterruptedException {
        while (true) {
            actors.getFirst().join(5);
            if (actors.stream().noneMatch(Actor::isAlive)) return;
            if (stopRequested.getAsBoolean()) {
                interrupted = true;
                actors.forEach(Actor::requestStop);
            }
            for (Actor a : helpers) {
                if (!a.isAlive()) actors.forEach(Actor::requestStop); // done (memslot pairs) or failed: the phase ends
            }
            for (VcpuActor a : actors) if (!a.isAlive() && a.failed()) actors.forEach(Actor::requestStop);
            for (PvclockVcpu v : vcpus) {
                long started = v.runStartedAt();
                if (started != PvclockVcpu.NOT_RUNNING && System.nanoTime() - started > c.hangNs()) {
                    hang = true;
                    return;
                }
            }
        }
    }

    private void stopAll(PvclockConfig c, List<VcpuActor> actors, List<Actor> helpers, StormActor storm) throws InterruptedException {
        boolean stormEnded = true;
        for (Actor a : helpers) {
            boolean ended = a.stopAndJoin(Math.max(1000, c.hangNs() / 1_000_000));
            if (a == storm) stormEnded = ended;
        }
        for (VcpuActor a : actors) {
            if (!a.stopAndJoin(hang ? c.hangNs() / 1_000_000 : Math.max(1000, c.hangNs() / 1_000_000))) {
                hang = true; // still inside KVM_RUN: the guest is closed under it (the kernel keeps its own references)
            }
        }
        if (hang) vcpus.getFirst().count(PvclockOutcome.HANG);
        if (storm != null) {
            stormInvalidations = storm.invalidations();
            if (stormEnded) storm.close(); // a storm thread still in C keeps using its range: leave it mapped
        }
        if (memslot != null && !memslot.isAlive()) memslot.close();
    }

    /** Runs of every vCPU. */
    long runs() { return vcpus.stream().mapToLong(PvclockVcpu::runs).sum(); }

    long logOverruns() { return vcpus.stream().mapToLong(PvclockVcpu::logOverruns).sum(); }

    /** Outcome counts summed over the vCPUs (the system-call oracle). */
    long[] counts() {
        long[] s = new long[PvclockOutcome.values().length];
        for (PvclockVcpu v : vcpus) for (int i = 0; i < s.length; i++) s[i] += v.counts[i];
        return s;
    }
}
