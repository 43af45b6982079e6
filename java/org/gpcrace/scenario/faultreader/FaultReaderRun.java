package org.gpcrace.scenario.faultreader;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.gpcrace.bridge.CapabilityMissingException;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.harness.StoppableCall;
import org.gpcrace.protocol.faultreader.FaultReaderVariant;

/**
 * One variant's run: fills gpcrace_fr_config, runs gpcrace_fr_run on a thread of its own (the
 * helper starts the readers, the migrator and the watchdog), sets the stop word on Ctrl-C, and
 * reads back the result, each batch's outcome flags and the samples.
 */
final class FaultReaderRun {
    static final int MIGRATED = 1, STALL = 2, DEADLOCK = 4, HANG = 8, CORRUPT = 16;
    static final int S_GP = 0, S_DOMAIN_GP = 1, S_FAULT = 2, S_DETECT = 3, S_BREAK = 4, SERIES = 5;
    private static final int MISSING_URCU = 1, MISSING_UFFD = 2, MISSING_FEATURE = 3;
    private static final long SAMPLE_CAP = 1 << 16;
    private static final long HIGHEST_NS = 3_600_000_000_000L;
    private static final VarHandle STOP = Layouts.GPCRACE_FR_CONFIG.varHandle(groupElement("stop"));

    /** What the helper measured; histograms in ns. */
    record Result(long batches, long[] outcomeCounts, Histogram[] series, long[] seriesCounts, long pagesMoved, long sections,
            long uffdFaults, long sigbus, long retries, long corruptReads, double seconds, long firstDeadlockBatch,
            double firstDeadlockMs, String rcuImpl, String unmap, String cycle, boolean interrupted) {}

    private FaultReaderRun() {}

    static Result run(NativeBridge bridge, FaultReaderConfig c, FaultReaderVariant v, BooleanSupplier stopRequested)
            throws InterruptedException {
        // an automatic arena: freed only when no thread can reach it, so a helper call that does not return never runs on freed memory
        Arena arena = Arena.ofAuto();
        MemorySegment cfg = arena.allocate(Layouts.GPCRACE_FR_CONFIG), out = arena.allocate(Layouts.GPCRACE_FR_RESULT);
        MemorySegment samples = arena.allocate(JAVA_LONG, SERIES * SAMPLE_CAP), flags = arena.allocate(JAVA_INT, c.batches());
        setInt(cfg, "variant", v.nativeId());
        setInt(cfg, "rcu", c.rcu().nativeId());
        setInt(cfg, "readers", c.readers());
        setInt(cfg, "pages", c.pages());
        setInt(cfg, "detect", c.detect() ? 1 : 0);
        setLong(cfg, "batches", c.batches());
        setLong(cfg, "duration_ns", c.durationNs());
        setLong(cfg, "stall_bound_ns", c.stallBoundNs());
        setLong(cfg, "hang_ns", c.hangNs());
        setLong(cfg, "gap_ns", c.gapNs());
        setLong(cfg, "sample_cap", SAMPLE_CAP);
        setLong(cfg, "samples", samples.address());
        setLong(cfg, "batch_flags", flags.address());
        VarHandle cpus = Layouts.GPCRACE_FR_CONFIG.varHandle(groupElement("cpus"), sequenceElement());
        for (int i = 0; i < Layouts.FR_MAX_READERS + 2; i++) cpus.set(cfg, 0L, (long) i, -1);
        cpus.set(cfg, 0L, 0L, c.migratorCpu());
        for (int i = 0; i < c.readers(); i++) cpus.set(cfg, 0L, (long) (1 + i), c.readerCpu(i));
        cpus.set(cfg, 0L, (long) (1 + c.readers()), c.watchdogCpu());

        StoppableCall.Outcome call = StoppableCall.run("gpcrace-fault-in-reader", "fault-in-reader " + v.id(),
                () -> bridge.kernel().faultReaderRun(cfg.address(), out.address()), stopRequested, () -> STOP.setVolatile(cfg, 0L, 1));
        int rc = (int) call.value();
        boolean interrupted = call.stopped();
        String error = string(out, "error");
        if (rc < 0) {
            int missing = getInt(out, "missing");
            switch (missing) {
                case MISSING_URCU -> throw new CapabilityMissingException(error
                        + "; install liburcu (as root: apt-get install liburcu-dev, which `make` does when root) or run with --rcu gpcrace");
                case MISSING_UFFD -> throw new CapabilityMissingException(error
                        + "; run as root or: sysctl vm.unprivileged_userfaultfd=1 (kernel needs CONFIG_USERFAULTFD)");
                case MISSING_FEATURE -> throw new CapabilityMissingException(error
                        + "; a kernel with UFFD_FEATURE_THREAD_ID and UFFD_FEATURE_SIGBUS (Linux 4.14 or later)");
                default -> throw new IllegalStateException("fault-in-reader " + v.id() + ": " + error);
            }
        }
        long batches = getLong(out, "batches");
        long[] outcomes = new long[5];
        for (long b = 0; b < batches; b++) {
            int f = flags.getAtIndex(JAVA_INT, b);
            for (int k = 0; k < 5; k++) if ((f & (1 << k)) != 0) outcomes[k]++;
        }
        VarHandle counts = Layouts.GPCRACE_FR_RESULT.varHandle(groupElement("counts"), sequenceElement());
        Histogram[] series = new Histogram[SERIES];
        long[] seriesCounts = new long[SERIES];
        for (int s = 0; s < SERIES; s++) {
            series[s] = new Histogram(HIGHEST_NS, 3);
            seriesCounts[s] = (long) counts.get(out, 0L, (long) s);
            long kept = Math.min(seriesCounts[s], SAMPLE_CAP);
            for (long i = 0; i < kept; i++) series[s].recordValue(Math.max(0, Math.min(HIGHEST_NS, samples.getAtIndex(JAVA_LONG, s * SAMPLE_CAP + i))));
        }
        long firstBatch = getLong(out, "first_deadlock_batch");
        return new Result(batches, outcomes, series, seriesCounts, getLong(out, "pages_moved"), getLong(out, "sections"),
                getLong(out, "uffd_faults"), getLong(out, "sigbus"), getLong(out, "retries"), getLong(out, "corrupt_reads"),
                getLong(out, "elapsed_ns") / 1e9, firstBatch, firstBatch > 0 ? getLong(out, "first_deadlock_ns") / 1e6 : -1,
                string(out, "rcu_impl"), string(out, "unmap"), firstBatch > 0 ? string(out, "cycle") : null, interrupted);
    }

    private static void setInt(MemorySegment s, String f, int v) { Layouts.GPCRACE_FR_CONFIG.varHandle(groupElement(f)).set(s, 0L, v); }

    private static void setLong(MemorySegment s, String f, long v) { Layouts.GPCRACE_FR_CONFIG.varHandle(groupElement(f)).set(s, 0L, v); }

    private static int getInt(MemorySegment s, String f) { return (int) Layouts.GPCRACE_FR_RESULT.varHandle(groupElement(f)).get(s, 0L); }

    private static long getLong(MemorySegment s, String f) { return (long) Layouts.GPCRACE_FR_RESULT.varHandle(groupElement(f)).get(s, 0L); }

    /** A NUL-terminated char array of the result struct. */
    private static String string(MemorySegment out, String field) {
        long off = Layouts.GPCRACE_FR_RESULT.byteOffset(groupElement(field));
        long len = Layouts.GPCRACE_FR_RESULT.select(groupElement(field)).byteSize();
        byte[] b = out.asSlice(off, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
