package org.gpcrace.measure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gpcrace.bridge.Isolated;
import org.gpcrace.bridge.ProbeNative;
import org.gpcrace.protocol.Source;
import org.gpcrace.result.LatencyExtra;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.Tracefs;

/**
 * --cross-check trace: the kernel's own clock on the same calls. With a private trace instance
 * recording syscalls:sys_enter_madvise and sys_exit_madvise of the measuring thread on the x86-tsc
 * trace clock (the TSC the probes read), the madvise probe's no-spinner "op" point runs twice:
 * once with the range length 0 (madvise returns at once, so the tool's time is the syscall
 * boundary: entry, exit, the tracepoints, the stamps) and once as measured. The boundary is the
 * tool's no-op p50 minus the kernel's enter-to-exit p50 of it; the tool's p50 minus the boundary
 * is then compared with the kernel's enter-to-exit p50 of the real call.
 */
final class TraceCrossCheck {
    static final String TRACE_CLOCK = "x86-tsc";
    static final List<String> EVENTS = List.of("syscalls/sys_enter_madvise", "syscalls/sys_exit_madvise");
    static final long ITERATIONS_MIN = 2000;
    static final double WITHIN = 0.10;

    private TraceCrossCheck() {}

    /** Why the check cannot run here, or empty. */
    static Optional<String> refusal(ProbeContext ctx) {
        if (!ctx.clock().tsc()) return Optional.of("the probes time with CLOCK_MONOTONIC (no invariant TSC): the x86-tsc trace clock cannot be compared; fix: a CPU with constant_tsc and nonstop_tsc");
        return Tracefs.refusal(EVENTS, TRACE_CLOCK);
    }

    static LatencyExtra.TraceCheck run(ProbeContext ctx, Source src, Backing backing, long size) {
        String syscall = "madvise(" + src.id() + ", " + Sizes.label(size) + ")";
        Optional<String> no = refusal(ctx);
        if (no.isPresent()) return skipped(syscall, no.get());
        long n = Math.max(ITERATIONS_MIN, ctx.budget().timed() ? ITERATIONS_MIN : ctx.budget().iterations());
        long tid = measuringTid(ctx);
        double nsPerTick = 1e9 / ctx.clock().hz();
        try (Tracefs.Session s = Tracefs.open("gpcrace-cross-check", EVENTS, TRACE_CLOCK, Tracefs.pidFilter(tid));
                ProbeMemory m = src == Source.COLLAPSE ? ProbeMemory.mapForCollapse(ctx.bridge(), size) : ProbeMemory.map(ctx.bridge(), backing, size);
                NativeRun run = new NativeRun(ctx.bridge(), ProbeNative.MADVISE, (int) Math.min(n, 65536))) {
            run.addr(m.base()).length(size).fd(m.fd()).source(src.probeCode()).mode(ProbeNative.MODE_OP).cpu(ctx.options().measuringCpu())
                    .helpers(List.of());
            long[] noop = measure(s, run, ProbeNative.FLAG_EMPTY_RANGE, n, nsPerTick);
            long[] op = measure(s, run, 0, n, nsPerTick);
            long boundary = noop[0] - noop[1];
            long toolMinus = op[0] - boundary;
            double agreement = op[1] == 0 ? 0 : (double) toolMinus / op[1];
            return new LatencyExtra.TraceCheck(syscall, TRACE_CLOCK, op[4], op[0], op[1], op[2], op[3], boundary, toolMinus, agreement, null);
        } catch (IOException | RuntimeException e) {
            return skipped(syscall, "tracing failed: " + e.getMessage());
        }
    }

    /**
     * One traced point: {tool p50, kernel p50, kernel p90, kernel p99, kernel events, lost}. The
     * tool's samples are its recorded latencies; the kernel's every enter-exit pair of the thread.
     */
    private static long[] measure(Tracefs.Session s, NativeRun run, int flags, long n, double nsPerTick) throws IOException {
        run.flags(flags);
        run.run(Math.min(200, run.buffer().capacity())); // warm, untraced
        s.clear();
        s.start();
        Recorder r = new Recorder(List.of("traced"), null);
        ProbeLoop.run(Budget.iterations(n, 0), run.buffer(), run, r);
        s.stop();
        long lost = s.lost();
        List<Long> kernel = enterToExit(s.events());
        if (kernel.size() < n) {
            throw new IOException("the trace holds " + kernel.size() + " madvise calls of the measuring thread, " + n + " were made"
                    + (lost > 0 ? " (" + lost + " events lost: the ring buffer overran)" : ""));
        }
        long[] k = kernel.stream().mapToLong(t -> Math.round(t * nsPerTick)).toArray();
        Arrays.sort(k);
        return new long[] {r.total(0).getValueAtPercentile(50), rank(k, 50), rank(k, 90), rank(k, 99), k.length, lost};
    }

    /** Enter-to-exit of every syscall enter followed by its exit on the same thread, in trace clock ticks. */
    static List<Long> enterToExit(List<Tracefs.Event> events) {
        Map<Integer, Long> open = new HashMap<>();
        List<Long> out = new ArrayList<>();
        for (Tracefs.Event e : events) {
            if (!e.syscallExit()) {
                open.put(e.pid(), e.timestamp());
            } else {
                Long t0 = open.remove(e.pid());
                if (t0 != null && e.timestamp() >= t0) out.add(e.timestamp() - t0);
            }
        }
        return out;
    }

    /** Nearest rank. */
    static long rank(long[] sorted, double p) {
        int k = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, k - 1))];
    }

    /** The thread that will make the calls: the actor's main thread, or this JVM thread (the probe runs on its caller). */
    private static long measuringTid(ProbeContext ctx) {
        if (ctx.bridge() instanceof Isolated i) return i.pid();
        return ctx.mm().jvmBridge().syscall(186 /* gettid */, 0, 0, 0, 0, 0, 0);
    }

    private static LatencyExtra.TraceCheck skipped(String syscall, String why) {
        return new LatencyExtra.TraceCheck(syscall, null, 0, 0, 0, 0, 0, 0, 0, 0, why);
    }

    static String line(LatencyExtra.TraceCheck c) {
        if (c.skipped() != null) return "cross-check trace: skipped: " + c.skipped();
        return String.format("cross-check trace (%s, %s clock, %d calls): kernel enter-to-exit p50 %d ns, p90 %d, p99 %d; tool p50 %d ns"
                + " minus the syscall boundary %d ns = %d ns: x%.3f of the kernel's (goal within %.0f%%)", c.syscall(), c.traceClock(),
                c.events(), c.kernelP50(), c.kernelP90(), c.kernelP99(), c.toolP50(), c.boundaryNs(), c.toolMinusBoundaryP50(), c.agreement(),
                100 * WITHIN);
    }
}
