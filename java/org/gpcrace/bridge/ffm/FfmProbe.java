package org.gpcrace.bridge.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import org.gpcrace.bridge.ProbeNative;

/** The probes through FFM. No handle is critical: probes sleep, fault and wait for threads. */
public final class FfmProbe implements ProbeNative {
    static final FfmProbe INSTANCE = new FfmProbe();

    private static final Ffm.Downcall CALIBRATE = Ffm.helper("gpcrace_probe_tsc_calibrate", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall CLOCK_USE = Ffm.helper("gpcrace_probe_clock_use", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final Ffm.Downcall NOW = Ffm.helper("gpcrace_probe_clock_now_ns", FunctionDescriptor.of(JAVA_LONG));
    private static final Ffm.Downcall RDTSCP = Ffm.helper("gpcrace_probe_has_rdtscp", FunctionDescriptor.of(JAVA_INT));
    private static final Ffm.Downcall RUN = Ffm.helper("gpcrace_probe_run",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall SERIES = Ffm.helper("gpcrace_probe_series", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final Ffm.Downcall NAME = Ffm.helper("gpcrace_probe_name", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final Ffm.Downcall CALL_NAME = Ffm.helper("gpcrace_probe_call_name", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final Ffm.Downcall PLAIN = Ffm.helper("gpcrace_probe_plain_dontneed", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT));

    private FfmProbe() {}

    @Override public long tscCalibrate(long windowNs) {
        try { return (long) CALIBRATE.get().invokeExact(windowNs); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public int clockUse(long tscHz) {
        try { return (int) CLOCK_USE.get().invokeExact(tscHz); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public long clockNowNs() {
        try { return (long) NOW.get().invokeExact(); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public boolean hasRdtscp() {
        try { return (int) RDTSCP.get().invokeExact() != 0; } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public long run(int probe, long cfg, long samples, long n, long out) {
        try { return (long) RUN.get().invokeExact(probe, cfg, samples, n, out); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public int series(int probe) {
        try { return (int) SERIES.get().invokeExact(probe); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public String probeName(int probe) {
        try { return Ffm.string((MemorySegment) NAME.get().invokeExact(probe)); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public String callName(int call) {
        try { return Ffm.string((MemorySegment) CALL_NAME.get().invokeExact(call)); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public long plainDontneed(long addr, long n, int cpu) {
        try { return (long) PLAIN.get().invokeExact(addr, n, cpu); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }
}
