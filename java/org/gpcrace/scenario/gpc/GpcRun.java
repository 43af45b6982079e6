package org.gpcrace.scenario.gpc;

import org.gpcrace.protocol.Source;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.RaceNative;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.result.Skip;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.GuestMemory;
import org.gpcrace.sys.HostFacts;
import org.gpcrace.bridge.Linux;

/**
 * Runs one `gpc` test: maps the guest memory, hands the native
 * runner its configuration, calibrates the start-delay range on the readers' loop, then runs
 * batches of rounds until the round count or the duration is reached (or the first FORBIDDEN
 * outcome with stopOnForbidden, or a hang), judging every round in Java with the shared oracle.
 *
 * A hang (the watchdog fired) ends the test with the `hang` outcome; the native side has stopped
 * its threads and the memory is released here. A machine that cannot run the configuration
 * (no THP, no userfaultfd, no huge pages) gives a skipped test with the reason and the fix.
 */
public final class GpcRun {
    static final int CALIBRATION_ROUNDS = 200;
    static final long MAX_BATCH = 16384, MIN_BATCH = 16, BATCH_BUFFER_BYTES = 16L << 20;
    static final double BATCH_SECONDS = 0.25;
    /** --stop-on-forbidden: batches grow to about this much time and no further, so the run ends that soon after the first FORBIDDEN round. */
    static final double STOP_BATCH_SECONDS = 0.01;

    private final GpcConfig cfg;
    private final NativeBridge bridge;
    private final RaceNative race;
    private final Placement placement;
    private final List<String> notes = new ArrayList<>();
    private long run;
    private int memfd = -1;
    private MemorySegment buf;
    private long maxBatch;
    private long delayMin, delayMax, calibratedLoopNs = -1;
    private double rate = 0; // rounds/s of the last batch (calibration included): sizes the next one

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GpcRun.class);
    private final java.util.function.BooleanSupplier stop;
    private final java.util.function.LongConsumer progress;

    private GpcRun(GpcConfig cfg, NativeBridge bridge, java.util.function.BooleanSupplier stop, java.util.function.LongConsumer progress) {
        this.stop = stop;
        this.progress = progress;
        this.cfg = cfg;
        this.bridge = bridge;
        this.race = bridge.race();
        this.placement = Placement.plan(cfg.cpus(), cfg.readers(), cfg.invalidators(), cfg.stormPages() > 0);
    }

    /** Runs the test; bad input throws IllegalArgumentException, everything else is in the result. */
    public static TestResult run(GpcConfig cfg, NativeBridge bridge) { return run(cfg, bridge, () -> false, n -> { }); }

    /**
     * The same, ending early (between batches, with what it has, marked interrupted) once
     * {@code stop} says so (Ctrl-C); {@code progress} hears the rounds done after every batch.
     */
    public static TestResult run(GpcConfig cfg, NativeBridge bridge, java.util.function.BooleanSupplier stop,
            java.util.function.LongConsumer progress) {
        String host = cfg.hostRefusal(HostFacts.probe());
        if (host != null) {
            return TestResult.skipped(cfg.testName(), "gpc", cfg.params(), new Skip(host.replaceFirst(" \\(echo .*", ""),
                    "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled"));
        }
        return new GpcRun(cfg, bridge, stop, progress).execute();
    }

    private TestResult execute() {
        if (race.protocolIndex(cfg.protocol().id()) < 0) {
            return failed("the native helper has no protocol '" + cfg.protocol().id() + "': rebuild it with make");
        }
        long invPages = invPages();
        boolean fileRemap = cfg.source() == Source.REMAP && cfg.backing().fileBacked();
        GuestMemory mem;
        try {
            mem = GuestMemory.map(bridge, cfg.backing(), invPages * (fileRemap ? 2 : 1));
        } catch (IllegalArgumentException | org.gpcrace.bridge.NativeCallException e) {
            return TestResult.skipped(cfg.testName(), "gpc", cfg.params(), new Skip("guest memory: " + e.getMessage(),
                    cfg.backing() == Backing.HUGETLB ? "echo 16 > /proc/sys/vm/nr_hugepages" : "free memory or use fewer --pages"));
        }
        memfd = mem.fd();
        try (mem; Arena arena = Arena.ofConfined()) {
            MemorySegment config = arena.allocate(Layouts.GPC_CONFIG);
            fill(config, mem, fileRemap ? invPages * Linux.PAGE_SIZE : 0);
            try {
                run = race.create(config.address());
            } catch (org.gpcrace.bridge.CapabilityMissingException e) {
                return TestResult.skipped(cfg.testName(), "gpc", cfg.params(), new Skip(e.reason(), e.fix()));
            }
            try {
                long roundBytes = race.roundBytes(cfg.readers());
                if (roundBytes != RoundRecord.bytes(cfg.readers())) {
                    return failed("round record of " + roundBytes + " bytes in C, " + RoundRecord.bytes(cfg.readers()) + " in Java");
                }
                maxBatch = Math.max(MIN_BATCH, Math.min(MAX_BATCH, BATCH_BUFFER_BYTES / roundBytes));
                buf = arena.allocate(maxBatch * roundBytes, 64);
                return race();
            } finally {
                race.destroy(run);
            }
        }
    }

    private long invPages() {
        long per2m = Linux.HUGE_PAGE_SIZE / Linux.PAGE_SIZE;
        boolean huge = cfg.backing() == Backing.HUGETLB || cfg.source() == Source.COLLAPSE;
        return huge ? (cfg.pages() + per2m - 1) / per2m * per2m : cfg.pages();
    }

    private void fill(MemorySegment c, GuestMemory mem, long remapOffset) {
        set(c, "protocol", race.protocolIndex(cfg.protocol().id()));
        set(c, "lock_kind", cfg.lock().code());
        set(c, "source", cfg.source().gpcCode());
        set(c, "backing", backingCode(cfg.backing()));
        set(c, "readers", cfg.readers());
        set(c, "pages", (int) invPages());
        set(c, "stride", cfg.stride());
        set(c, "access", cfg.access().code());
        set(c, "access_ns", cfg.accessNs());
        set(c, "nonblock", cfg.nonblock() ? 1 : 0);
        set(c, "nonblock_policy", cfg.policy().code());
        set(c, "notifier", cfg.notifier().code());
        set(c, "invalidator", cfg.invalidator().code());
        set(c, "refresh_retry_bound", cfg.refreshRetryBound());
        set(c, "memfd", mem.fd());
        set(c, "inject_hang_round", (int) cfg.injectHangAtRound());
        set(c, "refresh_mode", cfg.refresh().code());
        set(c, "invalidations", cfg.invalidations());
        set(c, "invalidators", cfg.invalidators());
        set(c, "unmap_every", cfg.unmapEvery());
        set(c, "preempt_rt", cfg.preemptRt() ? 1 : 0);
        set(c, "reader_mode", cfg.readerMode().code());
        set(c, "storm_pages", cfg.stormPages());
        setL(c, "storm_gap_ns", cfg.stormGapNs());
        setL(c, "guest_base", mem.base());
        setL(c, "guest_bytes", mem.bytes());
        setL(c, "remap_offset", remapOffset);
        setL(c, "delay_min_ns", cfg.delayCalibrated() ? 0 : cfg.delayMinNs());
        setL(c, "delay_max_ns", cfg.delayCalibrated() ? 0 : cfg.delayMaxNs());
        setL(c, "seed", cfg.seed());
        setL(c, "watchdog_ns", cfg.watchdog().toNanos());
        long cpus = Layouts.GPC_CONFIG.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("cpus"));
        for (int a = 0; a < Layouts.GPC_MAX_ACTORS; a++) c.set(ValueLayout.JAVA_INT, cpus + 4L * a, -1);
        for (int a = 0; a < placement.cpus().size(); a++) c.set(ValueLayout.JAVA_INT, cpus + 4L * a, placement.cpuOf(a));
    }

    static int backingCode(Backing b) {
        return switch (b) { case ANON -> 0; case SHMEM -> 1; case THP -> 2; case HUGETLB -> 3; };
    }

    private static void set(MemorySegment c, String f, int v) { c.set(ValueLayout.JAVA_INT, RoundRecord.off(Layouts.GPC_CONFIG, f), v); }

    private static void setL(MemorySegment c, String f, long v) { c.set(ValueLayout.JAVA_LONG, RoundRecord.off(Layouts.GPC_CONFIG, f), v); }

    /** One armed batch, with the Java invalidator thread when asked for. */
    private int batch(long rounds, int mode) {
        race.armBatch(run, rounds, buf.address(), mode);
        JavaInvalidator inv = cfg.invalidator() == InvalidatorKind.JAVA
                ? new JavaInvalidator(bridge, run, cfg.source(), memfd, placement.invalidatorCpu()).start() : null;
        int status;
        RuntimeException fail = null;
        try {
            status = race.runBatch(run);
        } catch (RuntimeException e) {
            fail = e;
            status = -1;
        }
        if (inv != null) {
            Throwable t;
            try {
                t = inv.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                race.abort(run);
                throw new IllegalStateException("interrupted while the Java invalidator ran");
            }
            if (t != null) throw new IllegalStateException("the Java invalidator failed: " + t.getMessage(), t);
        }
        if (fail != null) throw fail;
        return status;
    }

    /** The readers' K-access loop, median over a few invalidation-free rounds. */
    private long calibrate() {
        long t0 = System.nanoTime();
        batch(CALIBRATION_ROUNDS, RaceNative.MODE_CALIBRATE);
        rate = CALIBRATION_ROUNDS / Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
        long n = race.batchDone(run);
        long[] loops = new long[(int) n * cfg.readers()];
        long stride = RoundRecord.bytes(cfg.readers());
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < cfg.readers(); r++) {
                loops[i * cfg.readers() + r] = RoundRecord.l(buf, RoundRecord.reader(i * stride, r) + RoundRecord.LOOP_NS);
            }
        }
        Arrays.sort(loops);
        return loops.length == 0 ? 0 : loops[loops.length / 2];
    }

    private TestResult race() {
        if (cfg.delayCalibrated()) {
            calibratedLoopNs = calibrate();
            delayMin = 0;
            delayMax = Math.max(0, calibratedLoopNs);
            race.setDelayRange(run, delayMin, delayMax);
        } else {
            delayMin = cfg.delayMinNs();
            delayMax = cfg.delayMaxNs();
        }
        LOG.debug("{}: invalidator on cpu{}, readers on {}; start delay {}..{} ns ({})", cfg.testName(), placement.invalidatorCpu(),
                placement.cpus().subList(1, 1 + cfg.readers()), delayMin, delayMax,
                cfg.delayCalibrated() ? "calibrated: median reader loop " + calibratedLoopNs + " ns" : "as given");
        GpcTally tally = new GpcTally(delayMin, delayMax);
        RoundJudge judge = new RoundJudge(cfg.readers(), tally, bridge::errnoName);
        long deadline = cfg.rounds() == 0 ? System.nanoTime() + cfg.duration().toNanos() : Long.MAX_VALUE;
        long start = System.nanoTime();
        int[] seen = new int[cfg.readers() + 5];
        Arrays.fill(seen, -1);
        String error = null;
        long firstBatches = MIN_BATCH * 4; // --stop-on-forbidden: batches double from here up to STOP_BATCH_SECONDS, so a race ends early
        for (;;) {
            // about BATCH_SECONDS of rounds (never past the deadline), from the last batch's rate
            double secs = Math.min(BATCH_SECONDS, Math.max(0.001, (deadline - System.nanoTime()) / 1e9));
            long next = rate <= 0 ? MIN_BATCH * 4 : Math.max(MIN_BATCH, Math.min(maxBatch, (long) (rate * secs)));
            if (cfg.stopOnForbidden()) {
                next = Math.min(next, firstBatches);
                long cap = rate <= 0 ? maxBatch : Math.max(MIN_BATCH * 4, Math.min(maxBatch, (long) (rate * STOP_BATCH_SECONDS)));
                firstBatches = Math.min(2 * firstBatches, cap);
            }
            long want = cfg.rounds() == 0 ? next : Math.min(next, cfg.rounds() - tally.rounds());
            if (want <= 0) break;
            long t0 = System.nanoTime();
            int status;
            try {
                status = batch(want, RaceNative.MODE_RACE);
            } catch (IllegalStateException e) {
                judge.judge(buf, race.batchDone(run));
                error = e.getMessage();
                break;
            }
            judge.judge(buf, race.batchDone(run));
            progress.accept(tally.rounds());
            for (int a = 0; a < seen.length; a++) if (race.actorCpu(run, a) >= 0) seen[a] = race.actorCpu(run, a);
            if (status == RaceNative.HUNG) {
                tally.hang(tally.rounds() + 1, (System.nanoTime() - start) / 1e6);
                break;
            }
            if (cfg.stopOnForbidden() && tally.firstForbidden() != null) break;
            if (System.nanoTime() >= deadline || stop.getAsBoolean()) break;
            rate = want / Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
        }
        double seconds = tally.lastElapsedNs() > 0 ? tally.lastElapsedNs() / 1e9 : (System.nanoTime() - start) / 1e9;
        boolean interrupted = stop.getAsBoolean();
        if (interrupted) notes.add("interrupted (Ctrl-C) after " + tally.rounds() + " rounds: the figures cover those rounds");
        addNotes(tally);
        return GpcResults.of(cfg, tally, seconds, placement, seen, delayMin, delayMax, calibratedLoopNs, notes, error, interrupted);
    }

    private void addNotes(GpcTally tally) {
        String p = placement.note();
        if (p != null) notes.add(p);
        HostFacts host = HostFacts.probe();
        if (cfg.source() == Source.PAGEOUT && !host.hasSwap()) {
            notes.add("pageout: this host has no swap, so MADV_PAGEOUT cannot reclaim anonymous or shmem pages"
                    + " (frame changed in " + tally.framesChanged() + " of " + tally.framesKnown() + " rounds with known frames)");
        }
        if (tally.framesKnown() == 0 && tally.rounds() > 0) {
            notes.add("frame numbers unknown (pagemap hides them without CAP_SYS_ADMIN): frame changes not reported");
        }
        if (!cfg.backing().fileBacked()) {
            notes.add("khva is the user address here: anonymous memory has no second mapping of a frame, so a stale access"
                    + " after the operation lands in the frame the guest address maps next (counted visible), and gpc_unmap has"
                    + " no mapping to tear down (only a deactivated cache's cleared khva can be used: unmap-use)");
        }
        if (tally.refreshRetries() > 0) {
            notes.add("refreshes retried " + tally.refreshRetries() + " times (hva_to_pfn_retry " + cfg.refresh().id()
                    + (cfg.stormPages() > 0 ? ", " + tally.stormInvalidations() + " storm invalidations of an unrelated range" : "") + ")");
        }
        if (cfg.protocol() == Protocol.PINNED && cfg.source() != Source.REMAP) {
            notes.add("pinned keeps the old frame only after a remap; with " + cfg.source().id() + " the alias and the guest"
                    + " address may map the same frame again");
        }
    }

    private TestResult failed(String why) {
        return TestResult.failed(cfg.testName(), "gpc", cfg.params(), why);
    }
}
