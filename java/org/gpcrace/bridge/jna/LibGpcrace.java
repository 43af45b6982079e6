package org.gpcrace.bridge.jna;

import com.sun.jna.Library;

/** libgpcrace.so as seen by JNA; one method per function of native/include/gpcrace.h used here. */
public interface LibGpcrace extends Library {
    // core
    String gpcrace_version();
    int gpcrace_abi_version();
    String gpcrace_errno_name(int err);
    long gpcrace_noop(long x);
    int gpcrace_abi_struct_count();
    String gpcrace_abi_struct_name(int s);
    long gpcrace_abi_struct_size(int s);
    int gpcrace_abi_field_count(int s);
    String gpcrace_abi_field_name(int s, int f);
    long gpcrace_abi_field_offset(int s, int f);
    long gpcrace_abi_field_size(int s, int f);

    // ---- sync / gpc

    // ---- probe
    long gpcrace_probe_tsc_calibrate(long windowNs);
    int gpcrace_probe_clock_use(long tscHz);
    long gpcrace_probe_clock_now_ns();
    int gpcrace_probe_has_rdtscp();
    long gpcrace_probe_run(int probe, long cfg, long samples, long n, long out);
    int gpcrace_probe_series(int probe);
    String gpcrace_probe_name(int probe);
    String gpcrace_probe_call_name(int call);
    long gpcrace_probe_plain_dontneed(long addr, long n, int cpu);

    // ---- kernel
}
