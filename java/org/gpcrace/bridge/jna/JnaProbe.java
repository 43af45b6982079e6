package org.gpcrace.bridge.jna;

import org.gpcrace.bridge.ProbeNative;

/** The probes through JNA: the same entry points as FfmProbe, via LibGpcrace. */
final class JnaProbe implements ProbeNative {
    JnaProbe() {}

    @Override public long tscCalibrate(long windowNs) { return LibGpcrace.gpcrace_probe_tsc_calibrate(windowNs); }

    @Override public int clockUse(long tscHz) { return LibGpcrace.gpcrace_probe_clock_use(tscHz); }

    @Override public long clockNowNs() { return LibGpcrace.gpcrace_probe_clock_now_ns(); }

    @Override public boolean hasRdtscp() { return LibGpcrace.gpcrace_probe_has_rdtscp() != 0; }

    @Override public long run(int probe, long cfg, long samples, long n, long out) {
        return LibGpcrace.gpcrace_probe_run(probe, cfg, samples, n, out);
    }

    @Override public int series(int probe) { return LibGpcrace.gpcrace_probe_series(probe); }

    @Override public String probeName(int probe) { return LibGpcrace.gpcrace_probe_name(probe); }

    @Override public String callName(int call) { return LibGpcrace.gpcrace_probe_call_name(call); }

    @Override public long plainDontneed(long addr, long n, int cpu) { return LibGpcrace.gpcrace_probe_plain_dontneed(addr, n, cpu); }
}
