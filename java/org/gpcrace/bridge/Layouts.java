package org.gpcrace.bridge;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

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
    /** Actor slots in gpcrace_gpc_config.cpus: invalidator, readers, uffd monitor, second invalidator, storm, defer worker. */
    public static final int GPC_MAX_ACTORS = 69;
    /** Generations a round tallies (GPCRACE_GPC_GENS): one counter each per reader slot. */
    public static final int GPC_GENS = 4;

    public static final StructLayout GPC_CONFIG = MemoryLayout.structLayout(
            JAVA_INT.withName("protocol"), JAVA_INT.withName("lock_kind"), JAVA_INT.withName("source"),
            JAVA_INT.withName("backing"), JAVA_INT.withName("readers"), JAVA_INT.withName("pages"),
            JAVA_INT.withName("stride"), JAVA_INT.withName("access"), JAVA_INT.withName("access_ns"),
            JAVA_INT.withName("nonblock"), JAVA_INT.withName("nonblock_policy"), JAVA_INT.withName("notifier"),
            JAVA_INT.withName("invalidator"), JAVA_INT.withName("refresh_retry_bound"), JAVA_INT.withName("memfd"),
            JAVA_INT.withName("inject_hang_round"), JAVA_INT.withName("refresh_mode"), JAVA_INT.withName("invalidations"),
            JAVA_INT.withName("invalidators"), JAVA_INT.withName("unmap_every"), JAVA_INT.withName("preempt_rt"),
            JAVA_INT.withName("reader_mode"), JAVA_INT.withName("storm_pages"), JAVA_INT.withName("pad0"),
            JAVA_LONG.withName("storm_gap_ns"), JAVA_LONG.withName("guest_base"), JAVA_LONG.withName("guest_bytes"),
            JAVA_LONG.withName("remap_offset"), JAVA_LONG.withName("delay_min_ns"), JAVA_LONG.withName("delay_max_ns"),
            JAVA_LONG.withName("seed"), JAVA_LONG.withName("watchdog_ns"),
            MemoryLayout.sequenceLayout(GPC_MAX_ACTORS, JAVA_INT).withName("cpus"), JAVA_INT.withName("pad1"))
            .withName("gpcrace_gpc_config");

    public static final StructLayout GPC_ROUND = MemoryLayout.structLayout(
            JAVA_LONG.withName("round"), JAVA_LONG.withName("elapsed_ns"), JAVA_LONG.withName("delay_ns"),
            JAVA_LONG.withName("generation"), JAVA_LONG.withName("pfn_before"), JAVA_LONG.withName("pfn_after"),
            JAVA_LONG.withName("inv_ns"), JAVA_LONG.withName("defer_ns"), JAVA_INT.withName("flags"),
            JAVA_INT.withName("would_sleep"), JAVA_INT.withName("readers_inside"), JAVA_INT.withName("refreshes"),
            JAVA_INT.withName("refresh_retries"), JAVA_INT.withName("zap_errno"), JAVA_INT.withName("events"),
            JAVA_INT.withName("eagains"), JAVA_INT.withName("snap_mask"), JAVA_INT.withName("final_gen"),
            JAVA_INT.withName("kicks"), JAVA_INT.withName("storm_invalidations"), JAVA_INT.withName("max_retries"),
            JAVA_INT.withName("pad"))
            .withName("gpcrace_gpc_round");

    public static final StructLayout GPC_READER_ROUND = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(GPC_GENS, JAVA_LONG).withName("snapshot"),
            MemoryLayout.sequenceLayout(GPC_GENS, JAVA_LONG).withName("tally"), JAVA_LONG.withName("tally_other"),
            MemoryLayout.sequenceLayout(GPC_GENS, JAVA_LONG).withName("counter_end"), JAVA_LONG.withName("loop_ns"),
            JAVA_LONG.withName("kick_ns"), JAVA_INT.withName("unmap_use"), JAVA_INT.withName("kicks"))
            .withName("gpcrace_gpc_reader_round");

    /** The memory-pressure run's configuration (gpcrace_gpc_pressure_run); paths are NUL-terminated bytes. */
    public static final int PRESSURE_PATH = 256;
    public static final StructLayout PRESSURE_CONFIG = MemoryLayout.structLayout(
            JAVA_INT.withName("protocol"), JAVA_INT.withName("lock_kind"), JAVA_INT.withName("policy"),
            JAVA_INT.withName("readers"), JAVA_INT.withName("rounds"), JAVA_INT.withName("alloc_pages"),
            JAVA_LONG.withName("victim_bytes"), JAVA_LONG.withName("headroom_bytes"), JAVA_LONG.withName("stall_ns"),
            JAVA_LONG.withName("retry_gap_ns"), JAVA_INT.withName("max_retries"), JAVA_INT.withName("stop"),
            JAVA_LONG.withName("watchdog_ns"),
            MemoryLayout.sequenceLayout(PRESSURE_PATH, JAVA_BYTE).withName("procs_path"),
            MemoryLayout.sequenceLayout(PRESSURE_PATH, JAVA_BYTE).withName("usage_path"),
            MemoryLayout.sequenceLayout(PRESSURE_PATH, JAVA_BYTE).withName("limit_path"),
            MemoryLayout.sequenceLayout(PRESSURE_PATH, JAVA_BYTE).withName("oom_path"),
            MemoryLayout.sequenceLayout(GPC_MAX_ACTORS, JAVA_INT).withName("cpus"), JAVA_INT.withName("pad"))
            .withName("gpcrace_pressure_config");

    public static final StructLayout PRESSURE_ROUND = MemoryLayout.structLayout(
            JAVA_LONG.withName("round"), JAVA_LONG.withName("wait_ns"), JAVA_LONG.withName("free_ns"),
            JAVA_LONG.withName("released_bytes"), JAVA_LONG.withName("usage_before"), JAVA_LONG.withName("limit_bytes"),
            JAVA_LONG.withName("defer_ns"),
            JAVA_INT.withName("flags"), JAVA_INT.withName("attempts"), JAVA_INT.withName("would_sleep"),
            JAVA_INT.withName("readers_waiting"), JAVA_LONG.withName("stale"), JAVA_LONG.withName("accesses"))
            .withName("gpcrace_pressure_round");

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

    // ---- kernel: the KVM uapi structs Java fills or reads for its ioctls (sys/kvm)
    public static final StructLayout KVM_USERSPACE_MEMORY_REGION = MemoryLayout.structLayout(
            JAVA_INT.withName("slot"), JAVA_INT.withName("flags"), JAVA_LONG.withName("guest_phys_addr"),
            JAVA_LONG.withName("memory_size"), JAVA_LONG.withName("userspace_addr"))
            .withName("kvm_userspace_memory_region");

    /** Header of KVM_SET_MSRS; {@link #KVM_MSR_ENTRY} entries follow it. */
    public static final StructLayout KVM_MSRS = MemoryLayout.structLayout(
            JAVA_INT.withName("nmsrs"), JAVA_INT.withName("pad"))
            .withName("kvm_msrs");

    public static final StructLayout KVM_MSR_ENTRY = MemoryLayout.structLayout(
            JAVA_INT.withName("index"), JAVA_INT.withName("pad_reserved"), JAVA_LONG.withName("data"))
            .withName("kvm_msr_entry");

    /** Only rip and rflags are touched: a real-mode guest starts with zeroed registers. */
    public static final StructLayout KVM_REGS = MemoryLayout.structLayout(
            MemoryLayout.paddingLayout(16 * 8).withName("pad_gprs"), JAVA_LONG.withName("rip"), JAVA_LONG.withName("rflags"))
            .withName("kvm_regs");

    public static final StructLayout KVM_SEGMENT = MemoryLayout.structLayout(
            JAVA_LONG.withName("base"), JAVA_INT.withName("limit"), JAVA_SHORT.withName("selector"),
            MemoryLayout.paddingLayout(10).withName("pad_attributes"))
            .withName("kvm_segment");

    /** cs (a {@link #KVM_SEGMENT}) and cr0; the other segments, tables and registers are kept as read. */
    public static final StructLayout KVM_SREGS = MemoryLayout.structLayout(
            KVM_SEGMENT.withName("cs"), MemoryLayout.paddingLayout(7 * 24).withName("pad_segments"),
            MemoryLayout.paddingLayout(2 * 16).withName("pad_dtables"), JAVA_LONG.withName("cr0"),
            MemoryLayout.paddingLayout(6 * 8 + 4 * 8).withName("pad_registers"))
            .withName("kvm_sregs");

    /** The vCPU's mmapped kvm_run (KVM_GET_VCPU_MMAP_SIZE may map more); exit_reason is read after KVM_RUN. */
    public static final StructLayout KVM_RUN = MemoryLayout.structLayout(
            JAVA_BYTE.withName("request_interrupt_window"), JAVA_BYTE.withName("immediate_exit"),
            MemoryLayout.paddingLayout(6).withName("pad1"), JAVA_INT.withName("exit_reason"),
            MemoryLayout.paddingLayout(2352 - 12).withName("pad_rest"))
            .withName("kvm_run");

    public static final StructLayout KVM_CLOCK_DATA = MemoryLayout.structLayout(
            JAVA_LONG.withName("clock"), JAVA_INT.withName("flags"), JAVA_INT.withName("pad0"),
            JAVA_LONG.withName("realtime"), JAVA_LONG.withName("host_tsc"), MemoryLayout.paddingLayout(16).withName("pad"))
            .withName("kvm_clock_data");

    /** The kvmclock page KVM writes through the pv_time GPC (arch/x86/include/asm/pvclock-abi.h). */
    public static final StructLayout PVCLOCK_VCPU_TIME_INFO = MemoryLayout.structLayout(
            JAVA_INT.withName("version"), JAVA_INT.withName("pad0"), JAVA_LONG.withName("tsc_timestamp"),
            JAVA_LONG.withName("system_time"), JAVA_INT.withName("tsc_to_system_mul"), JAVA_BYTE.withName("tsc_shift"),
            JAVA_BYTE.withName("flags"), MemoryLayout.paddingLayout(2).withName("pad"))
            .withName("pvclock_vcpu_time_info");

    // ---- kernel: the helper's own structs (pin, storm)
    /** Java reads fd and sizes; the rest is the helper's private ring bookkeeping. */
    public static final StructLayout GPCRACE_URING = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), JAVA_INT.withName("sq_entries"), JAVA_INT.withName("cq_entries"),
            JAVA_INT.withName("features"), MemoryLayout.paddingLayout(6 * 8 + 8 * 4).withName("pad_private"))
            .withName("gpcrace_uring");

    public static final StructLayout GPCRACE_STORM = MemoryLayout.structLayout(
            JAVA_LONG.withName("addr"), JAVA_LONG.withName("pages"), JAVA_INT.withName("advice"),
            JAVA_INT.withName("stop"), JAVA_LONG.withName("invalidations"), JAVA_INT.withName("err"),
            JAVA_INT.withName("touch"))
            .withName("gpcrace_storm");

    /** Parameters and counters Java touches; the count-wait and rwlock inside are the helper's (pad_sync). */
    public static final StructLayout GPCRACE_FAIRNESS = MemoryLayout.structLayout(
            JAVA_INT.withName("variant"), JAVA_INT.withName("stop"), JAVA_INT.withName("invalidators"),
            JAVA_INT.withName("stagger"), JAVA_LONG.withName("period_ns"), JAVA_LONG.withName("busy_ns"),
            JAVA_LONG.withName("start_ns"), JAVA_LONG.withName("updater_gap_ns"), JAVA_LONG.withName("wait_limit_ns"),
            JAVA_LONG.withName("sections"), MemoryLayout.paddingLayout(24 + 48).withName("pad_sync"))
            .withName("gpcrace_fairness");

    // ---- fault: fault-in-reader's run configuration and result (gpcrace.h, section "fault")
    public static final int FR_MAX_READERS = 16;
    public static final int FR_SERIES = 5;

    public static final StructLayout GPCRACE_FR_CONFIG = MemoryLayout.structLayout(
            JAVA_INT.withName("variant"), JAVA_INT.withName("rcu"), JAVA_INT.withName("readers"), JAVA_INT.withName("pages"),
            JAVA_INT.withName("detect"), JAVA_INT.withName("stop"), JAVA_LONG.withName("batches"), JAVA_LONG.withName("duration_ns"),
            JAVA_LONG.withName("stall_bound_ns"), JAVA_LONG.withName("hang_ns"), JAVA_LONG.withName("gap_ns"),
            JAVA_LONG.withName("sample_cap"), JAVA_LONG.withName("samples"), JAVA_LONG.withName("batch_flags"),
            MemoryLayout.sequenceLayout(FR_MAX_READERS + 2, JAVA_INT).withName("cpus"))
            .withName("gpcrace_fr_config");

    public static final StructLayout GPCRACE_FR_RESULT = MemoryLayout.structLayout(
            JAVA_LONG.withName("batches"), JAVA_LONG.withName("pages_moved"), JAVA_LONG.withName("sections"),
            JAVA_LONG.withName("uffd_faults"), JAVA_LONG.withName("sigbus"), JAVA_LONG.withName("retries"),
            JAVA_LONG.withName("corrupt_reads"), JAVA_LONG.withName("elapsed_ns"), JAVA_LONG.withName("first_deadlock_ns"),
            JAVA_LONG.withName("first_deadlock_batch"), MemoryLayout.sequenceLayout(FR_SERIES, JAVA_LONG).withName("counts"),
            JAVA_INT.withName("missing"), JAVA_INT.withName("err"),
            MemoryLayout.sequenceLayout(160, JAVA_BYTE).withName("rcu_impl"), MemoryLayout.sequenceLayout(64, JAVA_BYTE).withName("unmap"),
            MemoryLayout.sequenceLayout(512, JAVA_BYTE).withName("cycle"), MemoryLayout.sequenceLayout(256, JAVA_BYTE).withName("error"))
            .withName("gpcrace_fr_result");

    /** Every struct, by its ABI name. */
    public static final Map<String, StructLayout> ALL = build(
            UFFDIO_API, IO_URING_PARAMS,
            GPC_CONFIG, GPC_ROUND, GPC_READER_ROUND, PRESSURE_CONFIG, PRESSURE_ROUND,
            // ---- kernel
            KVM_USERSPACE_MEMORY_REGION, KVM_MSRS, KVM_MSR_ENTRY, KVM_REGS, KVM_SEGMENT, KVM_SREGS, KVM_RUN,
            KVM_CLOCK_DATA, PVCLOCK_VCPU_TIME_INFO, GPCRACE_URING, GPCRACE_STORM, GPCRACE_FAIRNESS,
            // ---- probe
            PROBE_CFG, PROBE_OUT,
            // ---- fault
            GPCRACE_FR_CONFIG, GPCRACE_FR_RESULT);

    private static Map<String, StructLayout> build(StructLayout... layouts) {
        Map<String, StructLayout> m = new LinkedHashMap<>();
        for (StructLayout l : layouts) m.put(l.name().orElseThrow(), l);
        return java.util.Collections.unmodifiableMap(m);
    }
}
