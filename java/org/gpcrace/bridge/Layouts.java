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

    // ---- probe

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

    /** Every struct, by its ABI name. */
    public static final Map<String, StructLayout> ALL = build(
            UFFDIO_API, IO_URING_PARAMS,
            // ---- kernel
            KVM_USERSPACE_MEMORY_REGION, KVM_MSRS, KVM_MSR_ENTRY, KVM_REGS, KVM_SEGMENT, KVM_SREGS, KVM_RUN,
            KVM_CLOCK_DATA, PVCLOCK_VCPU_TIME_INFO, GPCRACE_URING, GPCRACE_STORM, GPCRACE_FAIRNESS);

    private static Map<String, StructLayout> build(StructLayout... layouts) {
        Map<String, StructLayout> m = new LinkedHashMap<>();
        for (StructLayout l : layouts) m.put(l.name().orElseThrow(), l);
        return java.util.Collections.unmodifiableMap(m);
    }
}
