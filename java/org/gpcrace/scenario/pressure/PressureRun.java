package org.gpcrace.scenario.pressure;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.PathElement.sequenceElement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.harness.StoppableCall;
import org.gpcrace.protocol.NonblockPolicy;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.sys.MemoryCgroup;

/**
 * One (protocol, policy) run: fills gpcrace_pressure_config, runs gpcrace_gpc_pressure_run on a
 * thread of its own (the helper forks the child into the cgroup and watches it), sets the stop
 * word on Ctrl-C, and reads back each round's record and the first wait chain.
 */
final class PressureRun {
    static final int STALL = 1, BROKEN = 2, GAVE_UP = 4, EAGAIN = 8, DEFERRED = 16, OOM = 32, WAITED = 64;
    private static final int CHAIN = 4096, ERR = 512;
    private static final VarHandle STOP = Layouts.PRESSURE_CONFIG.varHandle(groupElement("stop"));

    /** One round as the helper recorded it. */
    record Round(long round, long waitNs, long freeNs, long releasedBytes, long usageBefore, long limitBytes, long deferNs,
            int flags, int attempts, int wouldSleep, int readersWaiting, long stale, long accesses) {
        boolean has(int flag) { return (flags & flag) != 0; }
    }

    record Result(List<Round> rounds, String chain, double seconds, boolean interrupted) {}

    private PressureRun() {}

    static Result run(NativeBridge bridge, PressureConfig c, Protocol p, NonblockPolicy policy, MemoryCgroup cg,
            BooleanSupplier stopRequested) throws InterruptedException {
        int index = bridge.race().protocolIndex(p.id());
        if (index < 0) throw new IllegalStateException("the native helper does not know protocol " + p.id());
        // an automatic arena: freed only when no thread can reach it, so a call that does not return never runs on freed memory
        Arena arena = Arena.ofAuto();
        MemorySegment cfg = arena.allocate(Layouts.PRESSURE_CONFIG);
        MemorySegment out = arena.allocate(Layouts.PRESSURE_ROUND, c.rounds());
        MemorySegment chain = arena.allocate(CHAIN), err = arena.allocate(ERR);
        setInt(cfg, "protocol", index);
        setInt(cfg, "lock_kind", c.lock().code());
        setInt(cfg, "policy", policy.code());
        setInt(cfg, "readers", c.readers());
        setInt(cfg, "rounds", c.rounds());
        setInt(cfg, "alloc_pages", c.allocPages());
        setLong(cfg, "victim_bytes", c.victimBytes());
        setLong(cfg, "headroom_bytes", c.headroomBytes());
        setLong(cfg, "stall_ns", c.stallNs());
        setLong(cfg, "retry_gap_ns", c.retryGapNs());
        setInt(cfg, "max_retries", c.maxRetries());
        setLong(cfg, "watchdog_ns", c.watchdogNs());
        path(cfg, "procs_path", cg.procs().toString());
        path(cfg, "usage_path", cg.usage().toString());
        path(cfg, "limit_path", cg.limit().toString());
        path(cfg, "oom_path", cg.oom() == null ? "" : cg.oom().toString());
        VarHandle cpus = Layouts.PRESSURE_CONFIG.varHandle(groupElement("cpus"), sequenceElement());
        for (int i = 0; i < Layouts.GPC_MAX_ACTORS; i++) cpus.set(cfg, 0L, (long) i, -1);
        cpus.set(cfg, 0L, 0L, c.reaperCpu());
        for (int i = 0; i < c.readers(); i++) cpus.set(cfg, 0L, (long) (1 + i), c.readerCpu(i));
        cpus.set(cfg, 0L, (long) (1 + c.readers()), c.workerCpu());

        long t0 = System.nanoTime();
        StoppableCall.Outcome call = StoppableCall.run("gpcrace-pressure", "gpc-pressure",
                () -> bridge.kernel().pressureRun(cfg.address(), out.address(), chain.address(), CHAIN, err.address(), ERR),
                stopRequested, () -> STOP.setVolatile(cfg, 0L, 1));
        long rc = call.value();
        boolean interrupted = call.stopped();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (rc == -22) throw new IllegalArgumentException(err.getString(0));
        if (rc < 0) throw new IllegalStateException("gpc-pressure " + p.id() + " " + policy.id() + ": " + err.getString(0));
        List<Round> rounds = new ArrayList<>();
        for (long i = 0; i < rc; i++) {
            MemorySegment r = out.asSlice(i * Layouts.PRESSURE_ROUND.byteSize(), Layouts.PRESSURE_ROUND.byteSize());
            rounds.add(new Round(l(r, "round"), l(r, "wait_ns"), l(r, "free_ns"), l(r, "released_bytes"), l(r, "usage_before"),
                    l(r, "limit_bytes"), l(r, "defer_ns"), i(r, "flags"), i(r, "attempts"), i(r, "would_sleep"),
                    i(r, "readers_waiting"), l(r, "stale"), l(r, "accesses")));
        }
        String first = chain.getString(0);
        return new Result(rounds, first.isEmpty() ? null : first, seconds, interrupted);
    }

    private static void path(MemorySegment cfg, String field, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        if (b.length >= Layouts.PRESSURE_PATH) throw new IllegalArgumentException("cgroup path too long: " + value);
        long off = Layouts.PRESSURE_CONFIG.byteOffset(groupElement(field));
        MemorySegment.copy(b, 0, cfg, ValueLayout.JAVA_BYTE, off, b.length);
        cfg.set(ValueLayout.JAVA_BYTE, off + b.length, (byte) 0);
    }

    private static void setInt(MemorySegment s, String f, int v) { Layouts.PRESSURE_CONFIG.varHandle(groupElement(f)).set(s, 0L, v); }

    private static void setLong(MemorySegment s, String f, long v) { Layouts.PRESSURE_CONFIG.varHandle(groupElement(f)).set(s, 0L, v); }

    private static long l(MemorySegment s, String f) { return (long) Layouts.PRESSURE_ROUND.varHandle(groupElement(f)).get(s, 0L); }

    private static int i(MemorySegment s, String f) { return (int) Layouts.PRESSURE_ROUND.varHandle(groupElement(f)).get(s, 0L); }
}
