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
    /** Actor slots in gpcrace_gpc_config.cpus: invalidator, readers, uffd monitor. */
    public static final int GPC_MAX_ACTORS = 66;

    public static final StructLayout GPC_CONFIG = MemoryLayout.structLayout(
            JAVA_INT.withName("protocol"), JAVA_INT.withName("lock_kind"), JAVA_INT.withName("source"),
            JAVA_INT.withName("backing"), JAVA_INT.withName("readers"), JAVA_INT.withName("pages"),
            JAVA_INT.withName("stride"), JAVA_INT.withName("access"), JAVA_INT.withName("access_ns"),
            JAVA_INT.withName("nonblock"), JAVA_INT.withName("nonblock_policy"), JAVA_INT.withName("notifier"),
            JAVA_INT.withName("invalidator"), JAVA_INT.withName("refresh_retry_bound"), JAVA_INT.withName("memfd"),
            JAVA_INT.withName("inject_hang_round"), JAVA_LONG.withName("guest_base"), JAVA_LONG.withName("guest_bytes"),
            JAVA_LONG.withName("remap_offset"), JAVA_LONG.withName("delay_min_ns"), JAVA_LONG.withName("delay_max_ns"),
            JAVA_LONG.withName("seed"), JAVA_LONG.withName("watchdog_ns"),
            MemoryLayout.sequenceLayout(GPC_MAX_ACTORS, JAVA_INT).withName("cpus"))
            .withName("gpcrace_gpc_config");

    public static final StructLayout GPC_ROUND = MemoryLayout.structLayout(
            JAVA_LONG.withName("round"), JAVA_LONG.withName("elapsed_ns"), JAVA_LONG.withName("delay_ns"),
            JAVA_LONG.withName("generation"), JAVA_LONG.withName("pfn_before"), JAVA_LONG.withName("pfn_after"),
            JAVA_LONG.withName("inv_ns"), JAVA_INT.withName("flags"), JAVA_INT.withName("would_sleep"),
            JAVA_INT.withName("readers_inside"), JAVA_INT.withName("refreshes"), JAVA_INT.withName("refresh_retries"),
            JAVA_INT.withName("zap_errno"))
            .withName("gpcrace_gpc_round");

    public static final StructLayout GPC_READER_ROUND = MemoryLayout.structLayout(
            JAVA_LONG.withName("snapshot"), JAVA_LONG.withName("tally_inv"), JAVA_LONG.withName("tally_next"),
            JAVA_LONG.withName("tally_other"), JAVA_LONG.withName("counter_new"), JAVA_LONG.withName("loop_ns"))
            .withName("gpcrace_gpc_reader_round");

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
            GPC_CONFIG, GPC_ROUND, GPC_READER_ROUND,
            PROBE_CFG, PROBE_OUT);

    private static Map<String, StructLayout> build(StructLayout... layouts) {
        Map<String, StructLayout> m = new LinkedHashMap<>();
        for (StructLayout l : layouts) m.put(l.name().orElseThrow(), l);
        return java.util.Collections.unmodifiableMap(m);
    }
}
