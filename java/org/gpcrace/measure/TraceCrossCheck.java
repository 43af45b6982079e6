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
 * trace clock (the TSC the probes read), the madvise probe's no-spinner "op" point runs in
 * alternating turns with the same call of length 0 (madvise returns at once, so the tool's time is
 * the syscall boundary: entry, exit, the tracepoints, the stamps). The boundary is the
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
            long[][] r = measure(s, run, n, nsPerTick);
            long[] noop = r[0], op = r[1];
            long boundary = noop[0] - noop[1];
            long toolMinus = op[0] - boundary;
            double agreement = op[1] == 0 ? 0 : (double) toolMinus / op[1];
            return new LatencyExtra.TraceCheck(syscall, TRACE_CLOCK, op[4], op[0], op[1], op[2], op[3], boundary, toolMinus, agreement, null);
        } catch (IOException | RuntimeException e) {
            return skipped(syscall, "tracing failed: " + e.getMessage());
        }
    }

    static final int TURNS = 10;

    /**
     * The no-op and the real call, traced in one session in {@link #TURNS} alternating turns (a
     * drift of the machine hits both alike); the kernel's calls are told apart by their length
     * argument (len_in 0x0 for the no-op). Per kind: {tool p50, kernel p50, kernel p90, kernel p99,
     * kernel calls, lost events}; the tool's samples are its recorded latencies.
     */
    private static long[][] measure(Tracefs.Session s, NativeRun run, long n, double nsPerTick) throws IOException {
        for (int flags : new int[] {ProbeNative.FLAG_EMPTY_RANGE, 0}) { // warm, untraced
            run.flags(flags);
            run.run(Math.min(200, run.buffer().capacity()));
        }
        Recorder[] tool = {new Recorder(List.of("no-op"), null), new Recorder(List.of("op"), null)};
        long turn = Math.max(1, n / TURNS);
        s.clear();
        s.start();
        for (int t = 0; t < TURNS; t++) {
            for (int k = 0; k < 2; k++) {
                run.flags(k == 0 ? ProbeNative.FLAG_EMPTY_RANGE : 0);
                ProbeLoop.run(Budget.iterations(turn, 0), run.buffer(), run, tool[k]);
            }
        }
        s.stop();
        long lost = s.lost();
        List<List<Long>> kernel = enterToExit(s.events(), e -> emptyRange(e) ? 0 : 1);
        long[][] out = new long[2][];
        for (int k = 0; k < 2; k++) {
            if (kernel.get(k).size() < turn * TURNS) {
                throw new IOException("the trace holds " + kernel.get(k).size() + " " + (k == 0 ? "no-op " : "") + "madvise calls of the measuring"
                        + " thread, " + turn * TURNS + " were made" + (lost > 0 ? " (" + lost + " events lost: the ring buffer overran)" : ""));
            }
            long[] v = kernel.get(k).stream().mapToLong(x -> Math.round(x * nsPerTick)).toArray();
            Arrays.sort(v);
            out[k] = new long[] {tool[k].total(0).getValueAtPercentile(50), rank(v, 50), rank(v, 90), rank(v, 99), v.length, lost};
        }
        return out;
    }

    /** A madvise enter event of length 0 (printed "%#lx": "0", not "0x0"). */
    static boolean emptyRange(Tracefs.Event e) { return e.text().contains("len_in: 0,") || e.text().contains("len_in: 0x0,"); }

    /** Enter-to-exit in trace clock ticks of every syscall enter followed by its exit on the same thread, by the kind of its enter. */
    static List<List<Long>> enterToExit(List<Tracefs.Event> events, java.util.function.ToIntFunction<Tracefs.Event> kindOfEnter) {
        Map<Integer, long[]> open = new HashMap<>(); // pid -> {timestamp, kind}
        List<List<Long>> out = List.of(new ArrayList<>(), new ArrayList<>());
        for (Tracefs.Event e : events) {
            if (!e.syscallExit()) {
                open.put(e.pid(), new long[] {e.timestamp(), kindOfEnter.applyAsInt(e)});
            } else {
                long[] t0 = open.remove(e.pid());
                if (t0 != null && e.timestamp() >= t0[0]) out.get((int) t0[1]).add(e.timestamp() - t0[0]);
            }
        }
        return out;
    }

    /** Enter-to-exit of every syscall enter followed by its exit on the same thread, in trace clock ticks. */
    static List<Long> enterToExit(List<Tracefs.Event> events) { return enterToExit(events, e -> 0).get(0); }

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
