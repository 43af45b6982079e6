package org.gpcrace.bridge.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.gpcrace.bridge.ProbeNative;

/** The probes through FFM. No handle is critical: probes sleep, fault and wait for threads. */
public final class FfmProbe implements ProbeNative {
    static final FfmProbe INSTANCE = new FfmProbe();

    private static final MethodHandle CALIBRATE = Ffm.helper("gpcrace_probe_tsc_calibrate", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    private static final MethodHandle CLOCK_USE = Ffm.helper("gpcrace_probe_clock_use", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final MethodHandle NOW = Ffm.helper("gpcrace_probe_clock_now_ns", FunctionDescriptor.of(JAVA_LONG));
    private static final MethodHandle RDTSCP = Ffm.helper("gpcrace_probe_has_rdtscp", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle RUN = Ffm.helper("gpcrace_probe_run",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle SERIES = Ffm.helper("gpcrace_probe_series", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle NAME = Ffm.helper("gpcrace_probe_name", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle CALL_NAME = Ffm.helper("gpcrace_probe_call_name", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle PLAIN = Ffm.helper("gpcrace_probe_plain_dontneed", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT));

    private FfmProbe() {}

    @Override public long tscCalibrate(long windowNs) {
        try { return (long) CALIBRATE.invokeExact(windowNs); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public int clockUse(long tscHz) {
        try { return (int) CLOCK_USE.invokeExact(tscHz); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public long clockNowNs() {
        try { return (long) NOW.invokeExact(); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public boolean hasRdtscp() {
        try { return (int) RDTSCP.invokeExact() != 0; } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public long run(int probe, long cfg, long samples, long n, long out) {
        try { return (long) RUN.invokeExact(probe, cfg, samples, n, out); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public int series(int probe) {
        try { return (int) SERIES.invokeExact(probe); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public String probeName(int probe) {
        try { return Ffm.string((MemorySegment) NAME.invokeExact(probe)); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public String callName(int call) {
        try { return Ffm.string((MemorySegment) CALL_NAME.invokeExact(call)); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public long plainDontneed(long addr, long n, int cpu) {
        try { return (long) PLAIN.invokeExact(addr, n, cpu); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }
}
