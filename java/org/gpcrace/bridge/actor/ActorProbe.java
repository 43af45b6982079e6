package org.gpcrace.bridge.actor;

import java.lang.foreign.MemorySegment;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.bridge.ProbeNative;

/**
 * The latency probes in the actor. The probe's config is copied in, the probe runs on the
 * actor's threads against memory mapped in the actor, and its out struct and samples are copied
 * back: the caller's buffers are the same as for the in-JVM probes. Names and series counts are
 * the same library's and are answered in the JVM.
 */
final class ActorProbe implements ProbeNative {
    private final ActorBridge bridge;
    private final ProbeNative tables;

    ActorProbe(ActorBridge bridge, ProbeNative tables) {
        this.bridge = bridge;
        this.tables = tables;
    }

    @Override public long tscCalibrate(long windowNs) { return bridge.actor().call(Op.TSC_CALIBRATE, windowNs); }

    @Override public int clockUse(long tscHz) {
        synchronized (bridge) {
            bridge.rememberClock(tscHz); // a new actor gets the same clock
            return (int) bridge.actor().call(Op.CLOCK_USE, tscHz);
        }
    }

    @Override public long clockNowNs() { return bridge.actor().call(Op.CLOCK_NOW); }
    @Override public boolean hasRdtscp() { return tables.hasRdtscp(); }

    @Override public long run(int probe, long cfg, long samples, long n, long out) {
        int series = tables.series(probe);
        if (series < 1) return -22;
        long bytes = (long) series * n * Long.BYTES;
        synchronized (bridge) {
            ActorProcess a = bridge.actor();
            ControlBlock ctl = a.ctl();
            if (n < 0 || bytes > ControlBlock.BYTES - ControlBlock.DATA_OFF) return -22;
            MemorySegment.copy(MemorySegment.ofAddress(cfg).reinterpret(Layouts.PROBE_CFG.byteSize()), 0, ctl.segment(),
                    ControlBlock.CFG_OFF, Layouts.PROBE_CFG.byteSize());
            long r = a.call(Op.PROBE_RUN, probe, n, ControlBlock.DATA_OFF);
            MemorySegment.copy(ctl.segment(), ControlBlock.OUT_OFF, MemorySegment.ofAddress(out).reinterpret(Layouts.PROBE_OUT.byteSize()), 0,
                    Layouts.PROBE_OUT.byteSize());
            if (bytes > 0) MemorySegment.copy(ctl.segment(), ControlBlock.DATA_OFF, MemorySegment.ofAddress(samples).reinterpret(bytes), 0, bytes);
            return r;
        }
    }

    @Override public int series(int probe) { return tables.series(probe); }
    @Override public String probeName(int probe) { return tables.probeName(probe); }
    @Override public String callName(int call) { return tables.callName(call); }

    @Override public long plainDontneed(long addr, long n, int cpu) { return bridge.actor().call(Op.PLAIN_DONTNEED, addr, n, cpu); }
}
