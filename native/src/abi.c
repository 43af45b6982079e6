/*
 * The ABI self-description: sizes and field offsets of every struct that crosses the
 * Java boundary, taken from the compiler (offsetof), so Java can check its layouts at load.
 * Kernel structs are listed too: Java fills them for ioctls, and their layout is the kernel's.
 * Add a struct: one field array, one ABI_STRUCT row in its domain's section of `structs`.
 */
#include "gpcrace.h"
#include "abi_table.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/userfaultfd.h>
#include <linux/io_uring.h>

/* core: kernel structs the foundation fills (doctor's capability probes) */
static const struct abi_field uffdio_api_fields[] = {
    ABI_FIELD(struct uffdio_api, api),
    ABI_FIELD(struct uffdio_api, features),
    ABI_FIELD(struct uffdio_api, ioctls),
};
static const struct abi_field io_uring_params_fields[] = {
    ABI_FIELD(struct io_uring_params, sq_entries),
    ABI_FIELD(struct io_uring_params, cq_entries),
    ABI_FIELD(struct io_uring_params, flags),
    ABI_FIELD(struct io_uring_params, sq_thread_cpu),
    ABI_FIELD(struct io_uring_params, sq_thread_idle),
    ABI_FIELD(struct io_uring_params, features),
    ABI_FIELD(struct io_uring_params, wq_fd),
};

/* ---- sync / gpc field arrays ---- */
static const struct abi_field gpc_config_fields[] = {
    ABI_FIELD(struct gpcrace_gpc_config, protocol),
    ABI_FIELD(struct gpcrace_gpc_config, lock_kind),
    ABI_FIELD(struct gpcrace_gpc_config, source),
    ABI_FIELD(struct gpcrace_gpc_config, backing),
    ABI_FIELD(struct gpcrace_gpc_config, readers),
    ABI_FIELD(struct gpcrace_gpc_config, pages),
    ABI_FIELD(struct gpcrace_gpc_config, stride),
    ABI_FIELD(struct gpcrace_gpc_config, access),
    ABI_FIELD(struct gpcrace_gpc_config, access_ns),
    ABI_FIELD(struct gpcrace_gpc_config, nonblock),
    ABI_FIELD(struct gpcrace_gpc_config, nonblock_policy),
    ABI_FIELD(struct gpcrace_gpc_config, notifier),
    ABI_FIELD(struct gpcrace_gpc_config, invalidator),
    ABI_FIELD(struct gpcrace_gpc_config, refresh_retry_bound),
    ABI_FIELD(struct gpcrace_gpc_config, memfd),
    ABI_FIELD(struct gpcrace_gpc_config, inject_hang_round),
    ABI_FIELD(struct gpcrace_gpc_config, refresh_mode),
    ABI_FIELD(struct gpcrace_gpc_config, invalidations),
    ABI_FIELD(struct gpcrace_gpc_config, invalidators),
    ABI_FIELD(struct gpcrace_gpc_config, unmap_every),
    ABI_FIELD(struct gpcrace_gpc_config, preempt_rt),
    ABI_FIELD(struct gpcrace_gpc_config, reader_mode),
    ABI_FIELD(struct gpcrace_gpc_config, storm_pages),
    ABI_FIELD(struct gpcrace_gpc_config, storm_gap_ns),
    ABI_FIELD(struct gpcrace_gpc_config, guest_base),
    ABI_FIELD(struct gpcrace_gpc_config, guest_bytes),
    ABI_FIELD(struct gpcrace_gpc_config, remap_offset),
    ABI_FIELD(struct gpcrace_gpc_config, delay_min_ns),
    ABI_FIELD(struct gpcrace_gpc_config, delay_max_ns),
    ABI_FIELD(struct gpcrace_gpc_config, seed),
    ABI_FIELD(struct gpcrace_gpc_config, watchdog_ns),
    ABI_FIELD(struct gpcrace_gpc_config, cpus),
};
static const struct abi_field gpc_round_fields[] = {
    ABI_FIELD(struct gpcrace_gpc_round, round),
    ABI_FIELD(struct gpcrace_gpc_round, elapsed_ns),
    ABI_FIELD(struct gpcrace_gpc_round, delay_ns),
    ABI_FIELD(struct gpcrace_gpc_round, generation),
    ABI_FIELD(struct gpcrace_gpc_round, pfn_before),
    ABI_FIELD(struct gpcrace_gpc_round, pfn_after),
    ABI_FIELD(struct gpcrace_gpc_round, inv_ns),
    ABI_FIELD(struct gpcrace_gpc_round, defer_ns),
    ABI_FIELD(struct gpcrace_gpc_round, flags),
    ABI_FIELD(struct gpcrace_gpc_round, would_sleep),
    ABI_FIELD(struct gpcrace_gpc_round, readers_inside),
    ABI_FIELD(struct gpcrace_gpc_round, refreshes),
    ABI_FIELD(struct gpcrace_gpc_round, refresh_retries),
    ABI_FIELD(struct gpcrace_gpc_round, zap_errno),
    ABI_FIELD(struct gpcrace_gpc_round, events),
    ABI_FIELD(struct gpcrace_gpc_round, eagains),
    ABI_FIELD(struct gpcrace_gpc_round, snap_mask),
    ABI_FIELD(struct gpcrace_gpc_round, final_gen),
    ABI_FIELD(struct gpcrace_gpc_round, kicks),
    ABI_FIELD(struct gpcrace_gpc_round, storm_invalidations),
    ABI_FIELD(struct gpcrace_gpc_round, max_retries),
};
static const struct abi_field gpc_reader_round_fields[] = {
    ABI_FIELD(struct gpcrace_gpc_reader_round, snapshot),
    ABI_FIELD(struct gpcrace_gpc_reader_round, tally),
    ABI_FIELD(struct gpcrace_gpc_reader_round, tally_other),
    ABI_FIELD(struct gpcrace_gpc_reader_round, counter_end),
    ABI_FIELD(struct gpcrace_gpc_reader_round, loop_ns),
    ABI_FIELD(struct gpcrace_gpc_reader_round, kick_ns),
    ABI_FIELD(struct gpcrace_gpc_reader_round, unmap_use),
    ABI_FIELD(struct gpcrace_gpc_reader_round, kicks),
};
static const struct abi_field pressure_config_fields[] = {
    ABI_FIELD(struct gpcrace_pressure_config, protocol),
    ABI_FIELD(struct gpcrace_pressure_config, lock_kind),
    ABI_FIELD(struct gpcrace_pressure_config, policy),
    ABI_FIELD(struct gpcrace_pressure_config, readers),
    ABI_FIELD(struct gpcrace_pressure_config, rounds),
    ABI_FIELD(struct gpcrace_pressure_config, alloc_pages),
    ABI_FIELD(struct gpcrace_pressure_config, victim_bytes),
    ABI_FIELD(struct gpcrace_pressure_config, headroom_bytes),
    ABI_FIELD(struct gpcrace_pressure_config, stall_ns),
    ABI_FIELD(struct gpcrace_pressure_config, retry_gap_ns),
    ABI_FIELD(struct gpcrace_pressure_config, max_retries),
    ABI_FIELD(struct gpcrace_pressure_config, stop),
    ABI_FIELD(struct gpcrace_pressure_config, watchdog_ns),
    ABI_FIELD(struct gpcrace_pressure_config, procs_path),
    ABI_FIELD(struct gpcrace_pressure_config, usage_path),
    ABI_FIELD(struct gpcrace_pressure_config, limit_path),
    ABI_FIELD(struct gpcrace_pressure_config, oom_path),
    ABI_FIELD(struct gpcrace_pressure_config, cpus),
};
static const struct abi_field pressure_round_fields[] = {
    ABI_FIELD(struct gpcrace_pressure_round, round),
    ABI_FIELD(struct gpcrace_pressure_round, wait_ns),
    ABI_FIELD(struct gpcrace_pressure_round, free_ns),
    ABI_FIELD(struct gpcrace_pressure_round, released_bytes),
    ABI_FIELD(struct gpcrace_pressure_round, usage_before),
    ABI_FIELD(struct gpcrace_pressure_round, limit_bytes),
    ABI_FIELD(struct gpcrace_pressure_round, defer_ns),
    ABI_FIELD(struct gpcrace_pressure_round, flags),
    ABI_FIELD(struct gpcrace_pressure_round, attempts),
    ABI_FIELD(struct gpcrace_pressure_round, would_sleep),
    ABI_FIELD(struct gpcrace_pressure_round, readers_waiting),
    ABI_FIELD(struct gpcrace_pressure_round, stale),
    ABI_FIELD(struct gpcrace_pressure_round, accesses),
};

/* ---- probe field arrays ---- */
static const struct abi_field probe_cfg_fields[] = {
    ABI_FIELD(struct gpcrace_probe_cfg, addr),
    ABI_FIELD(struct gpcrace_probe_cfg, length),
    ABI_FIELD(struct gpcrace_probe_cfg, offset),
    ABI_FIELD(struct gpcrace_probe_cfg, delay_ns),
    ABI_FIELD(struct gpcrace_probe_cfg, batch),
    ABI_FIELD(struct gpcrace_probe_cfg, source),
    ABI_FIELD(struct gpcrace_probe_cfg, mode),
    ABI_FIELD(struct gpcrace_probe_cfg, fd),
    ABI_FIELD(struct gpcrace_probe_cfg, variant),
    ABI_FIELD(struct gpcrace_probe_cfg, flags),
    ABI_FIELD(struct gpcrace_probe_cfg, cpu),
    ABI_FIELD(struct gpcrace_probe_cfg, nhelpers),
    ABI_FIELD(struct gpcrace_probe_cfg, helper_cpus),
};
static const struct abi_field probe_out_fields[] = {
    ABI_FIELD(struct gpcrace_probe_out, done),
    ABI_FIELD(struct gpcrace_probe_out, resident),
    ABI_FIELD(struct gpcrace_probe_out, anomalies),
    ABI_FIELD(struct gpcrace_probe_out, min_gap_ns),
    ABI_FIELD(struct gpcrace_probe_out, elapsed_ns),
    ABI_FIELD(struct gpcrace_probe_out, cpu),
    ABI_FIELD(struct gpcrace_probe_out, err_call),
    ABI_FIELD(struct gpcrace_probe_out, err_errno),
};

/* ---- kernel field arrays ---- */
#include <linux/kvm.h>

_Static_assert(sizeof(struct gpcrace_pvclock_vcpu_time_info) == 32, "pvclock_vcpu_time_info is 32 bytes (pvclock-abi.h)");

/* KVM structs Java fills or reads for its ioctls (sys/kvm) */
static const struct abi_field kvm_userspace_memory_region_fields[] = {
    ABI_FIELD(struct kvm_userspace_memory_region, slot),
    ABI_FIELD(struct kvm_userspace_memory_region, flags),
    ABI_FIELD(struct kvm_userspace_memory_region, guest_phys_addr),
    ABI_FIELD(struct kvm_userspace_memory_region, memory_size),
    ABI_FIELD(struct kvm_userspace_memory_region, userspace_addr),
};
static const struct abi_field kvm_msrs_fields[] = {
    ABI_FIELD(struct kvm_msrs, nmsrs),
};
static const struct abi_field kvm_msr_entry_fields[] = {
    ABI_FIELD(struct kvm_msr_entry, index),
    ABI_FIELD(struct kvm_msr_entry, data),
};
static const struct abi_field kvm_regs_fields[] = {
    ABI_FIELD(struct kvm_regs, rip),
    ABI_FIELD(struct kvm_regs, rflags),
};
static const struct abi_field kvm_segment_fields[] = {
    ABI_FIELD(struct kvm_segment, base),
    ABI_FIELD(struct kvm_segment, limit),
    ABI_FIELD(struct kvm_segment, selector),
};
static const struct abi_field kvm_sregs_fields[] = {
    ABI_FIELD(struct kvm_sregs, cs),
    ABI_FIELD(struct kvm_sregs, cr0),
};
static const struct abi_field kvm_run_fields[] = {
    ABI_FIELD(struct kvm_run, request_interrupt_window),
    ABI_FIELD(struct kvm_run, immediate_exit),
    ABI_FIELD(struct kvm_run, exit_reason),
};
static const struct abi_field kvm_clock_data_fields[] = {
    ABI_FIELD(struct kvm_clock_data, clock),
    ABI_FIELD(struct kvm_clock_data, flags),
    ABI_FIELD(struct kvm_clock_data, realtime),
    ABI_FIELD(struct kvm_clock_data, host_tsc),
};
static const struct abi_field pvclock_fields[] = {
    ABI_FIELD(struct gpcrace_pvclock_vcpu_time_info, version),
    ABI_FIELD(struct gpcrace_pvclock_vcpu_time_info, tsc_timestamp),
    ABI_FIELD(struct gpcrace_pvclock_vcpu_time_info, system_time),
    ABI_FIELD(struct gpcrace_pvclock_vcpu_time_info, tsc_to_system_mul),
    ABI_FIELD(struct gpcrace_pvclock_vcpu_time_info, tsc_shift),
    ABI_FIELD(struct gpcrace_pvclock_vcpu_time_info, flags),
};
/* the helper's own structs (pin, storm, memslot-fairness) */
static const struct abi_field gpcrace_uring_fields[] = {
    ABI_FIELD(struct gpcrace_uring, fd),
    ABI_FIELD(struct gpcrace_uring, sq_entries),
    ABI_FIELD(struct gpcrace_uring, cq_entries),
    ABI_FIELD(struct gpcrace_uring, features),
};
static const struct abi_field gpcrace_storm_fields[] = {
    ABI_FIELD(struct gpcrace_storm, addr),
    ABI_FIELD(struct gpcrace_storm, pages),
    ABI_FIELD(struct gpcrace_storm, advice),
    ABI_FIELD(struct gpcrace_storm, stop),
    ABI_FIELD(struct gpcrace_storm, invalidations),
    ABI_FIELD(struct gpcrace_storm, err),
    ABI_FIELD(struct gpcrace_storm, touch),
};
static const struct abi_field gpcrace_fairness_fields[] = {
    ABI_FIELD(struct gpcrace_fairness, variant),
    ABI_FIELD(struct gpcrace_fairness, stop),
    ABI_FIELD(struct gpcrace_fairness, invalidators),
    ABI_FIELD(struct gpcrace_fairness, stagger),
    ABI_FIELD(struct gpcrace_fairness, period_ns),
    ABI_FIELD(struct gpcrace_fairness, busy_ns),
    ABI_FIELD(struct gpcrace_fairness, start_ns),
    ABI_FIELD(struct gpcrace_fairness, updater_gap_ns),
    ABI_FIELD(struct gpcrace_fairness, wait_limit_ns),
    ABI_FIELD(struct gpcrace_fairness, sections),
};

/* ---- fault field arrays ---- */
static const struct abi_field fr_config_fields[] = {
    ABI_FIELD(struct gpcrace_fr_config, variant),
    ABI_FIELD(struct gpcrace_fr_config, rcu),
    ABI_FIELD(struct gpcrace_fr_config, readers),
    ABI_FIELD(struct gpcrace_fr_config, pages),
    ABI_FIELD(struct gpcrace_fr_config, detect),
    ABI_FIELD(struct gpcrace_fr_config, stop),
    ABI_FIELD(struct gpcrace_fr_config, batches),
    ABI_FIELD(struct gpcrace_fr_config, duration_ns),
    ABI_FIELD(struct gpcrace_fr_config, stall_bound_ns),
    ABI_FIELD(struct gpcrace_fr_config, hang_ns),
    ABI_FIELD(struct gpcrace_fr_config, gap_ns),
    ABI_FIELD(struct gpcrace_fr_config, sample_cap),
    ABI_FIELD(struct gpcrace_fr_config, samples),
    ABI_FIELD(struct gpcrace_fr_config, batch_flags),
    ABI_FIELD(struct gpcrace_fr_config, cpus),
};
static const struct abi_field fr_result_fields[] = {
    ABI_FIELD(struct gpcrace_fr_result, batches),
    ABI_FIELD(struct gpcrace_fr_result, pages_moved),
    ABI_FIELD(struct gpcrace_fr_result, sections),
    ABI_FIELD(struct gpcrace_fr_result, uffd_faults),
    ABI_FIELD(struct gpcrace_fr_result, sigbus),
    ABI_FIELD(struct gpcrace_fr_result, retries),
    ABI_FIELD(struct gpcrace_fr_result, corrupt_reads),
    ABI_FIELD(struct gpcrace_fr_result, elapsed_ns),
    ABI_FIELD(struct gpcrace_fr_result, first_deadlock_ns),
    ABI_FIELD(struct gpcrace_fr_result, first_deadlock_batch),
    ABI_FIELD(struct gpcrace_fr_result, counts),
    ABI_FIELD(struct gpcrace_fr_result, missing),
    ABI_FIELD(struct gpcrace_fr_result, err),
    ABI_FIELD(struct gpcrace_fr_result, rcu_impl),
    ABI_FIELD(struct gpcrace_fr_result, unmap),
    ABI_FIELD(struct gpcrace_fr_result, cycle),
    ABI_FIELD(struct gpcrace_fr_result, error),
};

static const struct abi_struct structs[] = {
    /* core */
    ABI_STRUCT("uffdio_api", struct uffdio_api, uffdio_api_fields),
    ABI_STRUCT("io_uring_params", struct io_uring_params, io_uring_params_fields),
    /* ---- sync / gpc rows ---- */
    ABI_STRUCT("gpcrace_gpc_config", struct gpcrace_gpc_config, gpc_config_fields),
    ABI_STRUCT("gpcrace_gpc_round", struct gpcrace_gpc_round, gpc_round_fields),
    ABI_STRUCT("gpcrace_gpc_reader_round", struct gpcrace_gpc_reader_round, gpc_reader_round_fields),
    ABI_STRUCT("gpcrace_pressure_config", struct gpcrace_pressure_config, pressure_config_fields),
    ABI_STRUCT("gpcrace_pressure_round", struct gpcrace_pressure_round, pressure_round_fields),
    /* ---- probe rows ---- */
    ABI_STRUCT("gpcrace_probe_cfg", struct gpcrace_probe_cfg, probe_cfg_fields),
    ABI_STRUCT("gpcrace_probe_out", struct gpcrace_probe_out, probe_out_fields),
    /* ---- kernel rows ---- */
    ABI_STRUCT("kvm_userspace_memory_region", struct kvm_userspace_memory_region, kvm_userspace_memory_region_fields),
    ABI_STRUCT("kvm_msrs", struct kvm_msrs, kvm_msrs_fields),
    ABI_STRUCT("kvm_msr_entry", struct kvm_msr_entry, kvm_msr_entry_fields),
    ABI_STRUCT("kvm_regs", struct kvm_regs, kvm_regs_fields),
    ABI_STRUCT("kvm_segment", struct kvm_segment, kvm_segment_fields),
    ABI_STRUCT("kvm_sregs", struct kvm_sregs, kvm_sregs_fields),
    ABI_STRUCT("kvm_run", struct kvm_run, kvm_run_fields),
    ABI_STRUCT("kvm_clock_data", struct kvm_clock_data, kvm_clock_data_fields),
    ABI_STRUCT("pvclock_vcpu_time_info", struct gpcrace_pvclock_vcpu_time_info, pvclock_fields),
    ABI_STRUCT("gpcrace_uring", struct gpcrace_uring, gpcrace_uring_fields),
    ABI_STRUCT("gpcrace_storm", struct gpcrace_storm, gpcrace_storm_fields),
    ABI_STRUCT("gpcrace_fairness", struct gpcrace_fairness, gpcrace_fairness_fields),
    /* ---- fault rows ---- */
    ABI_STRUCT("gpcrace_fr_config", struct gpcrace_fr_config, fr_config_fields),
    ABI_STRUCT("gpcrace_fr_result", struct gpcrace_fr_result, fr_result_fields),
};

#define NSTRUCTS ((int)(sizeof(structs) / sizeof(structs[0])))

static const struct abi_struct *at(int s) { return (s >= 0 && s < NSTRUCTS) ? &structs[s] : NULL; }

static const struct abi_field *field_at(int s, int f)
{
    const struct abi_struct *st = at(s);
    return (st && f >= 0 && f < st->nfields) ? &st->fields[f] : NULL;
}

int gpcrace_abi_struct_count(void) { return NSTRUCTS; }
const char *gpcrace_abi_struct_name(int s) { return at(s) ? at(s)->name : NULL; }
int64_t gpcrace_abi_struct_size(int s) { return at(s) ? at(s)->size : -1; }
int gpcrace_abi_field_count(int s) { return at(s) ? at(s)->nfields : -1; }
const char *gpcrace_abi_field_name(int s, int f) { return field_at(s, f) ? field_at(s, f)->name : NULL; }
int64_t gpcrace_abi_field_offset(int s, int f) { return field_at(s, f) ? field_at(s, f)->offset : -1; }
int64_t gpcrace_abi_field_size(int s, int f) { return field_at(s, f) ? field_at(s, f)->size : -1; }

/* The whole table as text, one line per struct ("S name size") and per field ("F name offset
 * size"): one call instead of one per struct and field, so a bridge links a single downcall
 * (each new call shape costs milliseconds at start-up). Built once; NULL if out of memory. */
static char *abi_text;
static pthread_once_t abi_text_once = PTHREAD_ONCE_INIT;

static size_t abi_format(char *buf, size_t len)
{
    size_t n = 0;
    for (int s = 0; s < NSTRUCTS; s++) {
        const struct abi_struct *st = &structs[s];
        n += (size_t)snprintf(buf ? buf + n : NULL, buf ? len - n : 0, "S %s %lld\n", st->name, (long long)st->size);
        for (int f = 0; f < st->nfields; f++) {
            const struct abi_field *fd = &st->fields[f];
            n += (size_t)snprintf(buf ? buf + n : NULL, buf ? len - n : 0, "F %s %lld %lld\n", fd->name,
                                  (long long)fd->offset, (long long)fd->size);
        }
    }
    return n;
}

static void abi_text_build(void)
{
    size_t len = abi_format(NULL, 0) + 1;
    char *buf = malloc(len);
    if (!buf) return;
    abi_format(buf, len);
    abi_text = buf;
}

const char *gpcrace_abi_text(void)
{
    pthread_once(&abi_text_once, abi_text_build);
    return abi_text;
}
