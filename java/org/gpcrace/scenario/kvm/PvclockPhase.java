package org.gpcrace.scenario.kvm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.gpcrace.bridge.NativeBridge;

/**
 * One phase of kvm-pvclock: the vCPU actor plus the actors the phase asks for, started
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

    final Spec spec;
    final PvclockVcpu vcpu;
    PvclockInvalidator invalidator;
    long stormInvalidations;
    MemslotUpdater memslot;
    double seconds;
    boolean hang;
    boolean interrupted;
    long logOverruns;

    private PvclockPhase(Spec spec, PvclockVcpu vcpu) {
        this.spec = spec;
        this.vcpu = vcpu;
    }

    static PvclockPhase run(NativeBridge bridge, PvclockConfig c, PvclockGuest guest, Spec spec, BooleanSupplier stopRequested,
            long seed) throws InterruptedException {
        InvalidationLog log = new InvalidationLog(1 << 16, !c.busted());
        PvclockPhase ph = new PvclockPhase(spec, new PvclockVcpu(guest, c.clockUpdate(), log, c.runBoundNs(),
                c.vcpuGapMaxNs(), spec.vcpuParkNs(), seed ^ 0x5eed));
        List<Actor> helpers = new ArrayList<>();
        StormActor storm = null;
        VcpuActor vcpuActor = null;
        long t0 = System.nanoTime(), t1 = t0;
        try {
            if (spec.invalidate()) {
                ph.invalidator = new PvclockInvalidator(bridge, c.invalidatorCpu(), c.source(), guest.pvclockAddress(),
                        spec.delayMaxNs(), log, seed);
                helpers.add(ph.invalidator);
            }
            if (spec.storm()) helpers.add(storm = new StormActor(bridge, c.invalidatorCpu(), c.stormPages(), c.stormTouch()));
            if (spec.memslotPairs() > 0) helpers.add(ph.memslot = new MemslotUpdater(bridge, c.vcpuCpu(), guest.vm(), spec.memslotPairs()));
            for (Actor a : helpers) if (a != ph.memslot) a.start();
            for (Actor a : helpers) if (a != ph.memslot) a.awaitReady(2000);
            t0 = System.nanoTime();
            vcpuActor = new VcpuActor(bridge, c.vcpuCpu(), ph.vcpu, spec.memslotPairs() > 0 ? Long.MAX_VALUE : spec.maxRuns(), t0);
            vcpuActor.start();
            if (ph.memslot != null) ph.memslot.start();
            ph.watch(c, vcpuActor, helpers, stopRequested);
            t1 = System.nanoTime();
        } finally {
            ph.stopAll(c, vcpuActor, helpers, storm);
        }
        ph.seconds = (t1 - t0) / 1e9;
        ph.logOverruns = log.overruns();
        if (vcpuActor != null) vcpuActor.rethrowFailure();
        for (Actor a : helpers) a.rethrowFailure();
        return ph;
    }

    private void watch(PvclockConfig c, VcpuActor vcpuActor, List<Actor> helpers, BooleanSupplier stopRequested) throws InterruptedException {
        while (true) {
            vcpuActor.join(5);
            if (!vcpuActor.isAlive()) return;
            if (stopRequested.getAsBoolean()) {
                interrupted = true;
                vcpuActor.requestStop();
            }
            for (Actor a : helpers) {
                if (!a.isAlive()) vcpuActor.requestStop(); // done (memslot pairs) or failed: the phase ends
            }
            long started = vcpu.runStartedAt();
            if (started != PvclockVcpu.NOT_RUNNING && System.nanoTime() - started > c.hangNs()) {
                hang = true;
                return;
            }
        }
    }

    private void stopAll(PvclockConfig c, VcpuActor vcpuActor, List<Actor> helpers, StormActor storm) throws InterruptedException {
        boolean stormEnded = true;
        for (Actor a : helpers) {
            boolean ended = a.stopAndJoin(Math.max(1000, c.hangNs() / 1_000_000));
            if (a == storm) stormEnded = ended;
        }
        if (vcpuActor != null && !vcpuActor.stopAndJoin(hang ? c.hangNs() / 1_000_000 : Math.max(1000, c.hangNs() / 1_000_000))) {
            hang = true; // still inside KVM_RUN: the guest is closed under it (the kernel keeps its own references)
        }
        if (hang) vcpu.count(PvclockOutcome.HANG);
        if (storm != null) {
            stormInvalidations = storm.invalidations();
            if (stormEnded) storm.close(); // a storm thread still in C keeps using its range: leave it mapped
        }
        if (memslot != null && !memslot.isAlive()) memslot.close();
    }
}
