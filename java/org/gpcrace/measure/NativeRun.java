package org.gpcrace.measure;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.NativeCallException;
import org.gpcrace.bridge.ProbeNative;

/**
 * One native probe, configured once, run chunk by chunk into its own {@link SampleBuffer}.
 * The config and out structs live off-heap (layouts checked against the helper at load).
 */
public final class NativeRun implements AutoCloseable, ProbeLoop.Chunk {
    private final NativeBridge bridge;
    private final ProbeNative pn;
    private final int probe;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment cfg = arena.allocate(Layouts.PROBE_CFG);
    private final MemorySegment out = arena.allocate(Layouts.PROBE_OUT);
    private final SampleBuffer buffer;
    private final MeasuredMm mm;
    private PointEvidenceLog evidence;
    private final List<Integer> helperCpus = new java.util.ArrayList<>();

    public NativeRun(NativeBridge bridge, int probe, int capacity) {
        this.bridge = bridge;
        this.mm = new MeasuredMm(bridge);
        this.pn = bridge.probe();
        this.probe = probe;
        int series = pn.series(probe);
        if (series < 1) throw new IllegalStateException("the native helper does not know probe " + probe);
        this.buffer = new SampleBuffer(series, capacity);
        fd(-1).cpu(-1);
    }

    public SampleBuffer buffer() { return buffer; }

    public NativeRun addr(long v) { return setLong("addr", v); }
    public NativeRun length(long v) { return setLong("length", v); }
    public NativeRun offset(long v) { return setLong("offset", v); }
    public NativeRun delayNs(long v) { return setLong("delay_ns", v); }
    public NativeRun batch(long v) { return setLong("batch", v); }
    public NativeRun source(int v) { return setInt("source", v); }
    public NativeRun mode(int v) { return setInt("mode", v); }
    public NativeRun fd(int v) { return setInt("fd", v); }
    public NativeRun variant(int v) { return setInt("variant", v); }
    public NativeRun flags(int v) { return setInt("flags", v); }
    public NativeRun cpu(int v) { return setInt("cpu", v); }

    /** Helper threads and their CPUs (-1: not pinned). */
    public NativeRun helpers(List<Integer> cpus) {
        if (cpus.size() > ProbeNative.MAX_HELPERS) throw new IllegalArgumentException("at most " + ProbeNative.MAX_HELPERS + " helper threads");
        setInt("nhelpers", cpus.size());
        helperCpus.clear();
        helperCpus.addAll(cpus);
        long base = Layouts.PROBE_CFG.byteOffset(groupElement("helper_cpus"));
        for (int i = 0; i < cpus.size(); i++) cfg.set(ValueLayout.JAVA_INT, base + 4L * i, cpus.get(i));
        return this;
    }

    private NativeRun setLong(String f, long v) { cfg.set(ValueLayout.JAVA_LONG, Layouts.PROBE_CFG.byteOffset(groupElement(f)), v); return this; }
    private NativeRun setInt(String f, int v) { cfg.set(ValueLayout.JAVA_INT, Layouts.PROBE_CFG.byteOffset(groupElement(f)), v); return this; }
    private long outLong(String f) { return out.get(ValueLayout.JAVA_LONG, Layouts.PROBE_OUT.byteOffset(groupElement(f))); }
    private int outInt(String f) { return out.get(ValueLayout.JAVA_INT, Layouts.PROBE_OUT.byteOffset(groupElement(f))); }

    /**
     * Collects the evidence of isolation of the chunks run from now on (a measured point):
     * TLB-shootdown IPIs around each chunk, the CPUs the measured mm ran on.
     */
    public void startEvidence() { evidence = new PointEvidenceLog(); }

    /** The evidence since {@link #startEvidence()}, or null. */
    PointEvidenceLog evidence() { return evidence; }

    /** Runs n iterations into the buffer; a failure names the probe, the call and the errno. */
    @Override public void run(long n) {
        if (n > buffer.capacity()) throw new IllegalArgumentException("chunk " + n + " exceeds the sample buffer " + buffer.capacity());
        long[] before = evidence != null ? TlbShootdowns.read() : null;
        long r = pn.run(probe, cfg.address(), buffer.address(), n, out.address());
        if (evidence != null && r >= 0) {
            evidence.chunk(n, before, TlbShootdowns.read(), mm.cpusOfLastCall(endedOnCpu(), helperCpus), mm.threadsOfLastCall());
        }
        if (r < 0) throw failure((int) -r);
        if (r != n) throw new IllegalStateException("probe " + pn.probeName(probe) + " recorded " + r + " of " + n + " iterations");
    }

    /** The failure of the last run, as a NativeCallException naming the call. */
    private NativeCallException failure(int errno) {
        String call = pn.callName(errCall());
        return new NativeCallException("probe " + pn.probeName(probe) + ": " + call, errno, bridge.errnoName(errno), bridge.strerror(errno));
    }

    public int errCall() { return outInt("err_call"); }
    public long resident() { return outLong("resident"); }
    public long anomalies() { return outLong("anomalies"); }
    public long minGapNs() { return outLong("min_gap_ns"); }
    public long elapsedNs() { return outLong("elapsed_ns"); }
    public int endedOnCpu() { return outInt("cpu"); }

    @Override public void close() {
        buffer.close();
        arena.close();
    }
}
