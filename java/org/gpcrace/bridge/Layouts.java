package org.gpcrace.bridge;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Java's view of every struct that crosses the native boundary, named as in the ABI
 * self-description. Both bridges check these against the helper at load. Padding members are
 * named "pad*". Add a struct: a constant here and a row in {@link #ALL}, plus its row in abi.c.
 */
public final class Layouts {
    private Layouts() {}

    // ---- core: kernel structs used by the capability probes
    public static final StructLayout UFFDIO_API = MemoryLayout.structLayout(
            JAVA_LONG.withName("api"), JAVA_LONG.withName("features"), JAVA_LONG.withName("ioctls"))
            .withName("uffdio_api");

    public static final StructLayout IO_URING_PARAMS = MemoryLayout.structLayout(
            JAVA_INT.withName("sq_entries"), JAVA_INT.withName("cq_entries"),
            JAVA_INT.withName("flags"), JAVA_INT.withName("sq_thread_cpu"),
            JAVA_INT.withName("sq_thread_idle"), JAVA_INT.withName("features"),
            JAVA_INT.withName("wq_fd"), MemoryLayout.sequenceLayout(3, JAVA_INT).withName("pad_resv"),
            MemoryLayout.paddingLayout(40).withName("pad_sq_off"),
            MemoryLayout.paddingLayout(40).withName("pad_cq_off"))
            .withName("io_uring_params");

    // ---- sync / gpc

    // ---- probe
    public static final StructLayout PROBE_CFG = MemoryLayout.structLayout(
            JAVA_LONG.withName("addr"), JAVA_LONG.withName("length"), JAVA_LONG.withName("offset"),
            JAVA_LONG.withName("delay_ns"), JAVA_LONG.withName("batch"),
            JAVA_INT.withName("source"), JAVA_INT.withName("mode"), JAVA_INT.withName("fd"),
            JAVA_INT.withName("variant"), JAVA_INT.withName("flags"), JAVA_INT.withName("cpu"),
            JAVA_INT.withName("nhelpers"), MemoryLayout.sequenceLayout(256, JAVA_INT).withName("helper_cpus"),
            MemoryLayout.paddingLayout(4).withName("pad_tail"))
            .withName("gpcrace_probe_cfg");

    public static final StructLayout PROBE_OUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("done"), JAVA_LONG.withName("resident"), JAVA_LONG.withName("anomalies"),
            JAVA_LONG.withName("min_gap_ns"), JAVA_LONG.withName("elapsed_ns"),
            JAVA_INT.withName("cpu"), JAVA_INT.withName("err_call"), JAVA_INT.withName("err_errno"),
            JAVA_INT.withName("pad"))
            .withName("gpcrace_probe_out");

    // ---- kernel

    /** Every struct, by its ABI name. */
    public static final Map<String, StructLayout> ALL = build(
            UFFDIO_API, IO_URING_PARAMS,
            PROBE_CFG, PROBE_OUT);

    private static Map<String, StructLayout> build(StructLayout... layouts) {
        Map<String, StructLayout> m = new LinkedHashMap<>();
        for (StructLayout l : layouts) m.put(l.name().orElseThrow(), l);
        return java.util.Collections.unmodifiableMap(m);
    }
}
