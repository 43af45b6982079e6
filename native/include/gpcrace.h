/*
 * gpcrace.h - the one C ABI of libgpcrace.so.
 *
 * Every function Java calls and every struct that crosses the boundary is declared here.
 * Structs are described at run time by the ABI self-description (gpcrace_abi_*), which both
 * Java bridges check against their layouts before they make any other call.
 *
 * Sections, one per domain (each owns its own .c files under native/src/):
 *   core     version, errno names, the ABI description, a no-op for bridge overhead
 *   sync     futex, barriers, rwlocks, seqcount, SRCU, count-wait          (race engine)
 *   gpc      the userspace GPC, protocol variants, invalidation, rounds      (race engine)
 *   probe    latency probes and the clock                                    (latency)
 *   kernel   pin, kvm helpers                                                (real kernel)
 */
#ifndef GPCRACE_H
#define GPCRACE_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GPCRACE_ABI_VERSION 1

/* ------------------------------------------------------------------------------------- core */

/* Library version string, e.g. "gpcrace-native 0.1.0 abi 1". */
const char *gpcrace_version(void);
/* ABI version; a bridge refuses a library whose number differs from its own. */
int gpcrace_abi_version(void);
/* Symbolic name of an errno value ("ENOMEM"), or NULL when unknown. */
const char *gpcrace_errno_name(int err);
/* Returns its argument: the cheapest possible call, for measuring bridge overhead. */
int64_t gpcrace_noop(int64_t x);

/*
 * ABI self-description: every struct that crosses the boundary, with its size and the offset
 * and size of each field Java touches. Indexes run from 0 to count-1; out-of-range indexes
 * return NULL / -1.
 */
int gpcrace_abi_struct_count(void);
const char *gpcrace_abi_struct_name(int s);
int64_t gpcrace_abi_struct_size(int s);
int gpcrace_abi_field_count(int s);
const char *gpcrace_abi_field_name(int s, int f);
int64_t gpcrace_abi_field_offset(int s, int f);
int64_t gpcrace_abi_field_size(int s, int f);

/* ------------------------------------------------------------------------------------- sync */

/* ------------------------------------------------------------------------------------- gpc */

/* ------------------------------------------------------------------------------------- probe */

/* ------------------------------------------------------------------------------------- kernel */

/*
 * Long-term references to a page (the pin scenario, DESIGN.md 4.4) and the kvm-pvclock storm.
 * Every function returns >= 0 on success and -errno on failure (nothing else is touched), so the
 * Java side can name the call and the error; no function here prints or exits.
 */

/*
 * The kvmclock page KVM writes through the vCPU's pv_time GPC. Not in the uapi headers: this is
 * arch/x86/include/asm/pvclock-abi.h, a guest ABI that cannot change. Java reads it from guest
 * memory with Layouts.PVCLOCK_VCPU_TIME_INFO.
 */
struct gpcrace_pvclock_vcpu_time_info {
    uint32_t version;        /* odd while KVM writes, even after; 0 = never written */
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;    /* ns of guest time at tsc_timestamp */
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;           /* bit 0 TSC stable, bit 1 guest stopped (KVM_KVMCLOCK_CTRL) */
    uint8_t pad[2];
};

/* pipe2(fds, O_CLOEXEC): fds[0] is the read end, fds[1] the write end. */
int gpcrace_pin_pipe(int32_t *fds);
/* vmsplice of [addr, addr+len) into the pipe's write end, no SPLICE_F_GIFT: the pipe then holds
 * references to the frames behind the range. Returns the number of bytes spliced. */
int64_t gpcrace_pin_vmsplice(int pipe_wr, uint64_t addr, uint64_t len);

/*
 * A minimal io_uring, set up with raw system calls (no liburing). Java allocates the struct
 * and reads fd/sq_entries/cq_entries/features; the rest is the helper's private bookkeeping.
 */
struct gpcrace_uring {
    int32_t fd;
    uint32_t sq_entries;
    uint32_t cq_entries;
    uint32_t features;
    /* private: ring mappings */
    uint64_t sq_ring, sq_ring_len, cq_ring, cq_ring_len, sqes, sqes_len;
    /* private: offsets inside the rings (io_sqring_offsets / io_cqring_offsets) */
    uint32_t sq_head, sq_tail, sq_mask, sq_array, cq_head, cq_tail, cq_mask, cqes;
};
/* io_uring_setup + the three ring mmaps. On failure nothing stays open. */
int gpcrace_pin_uring_open(struct gpcrace_uring *u, uint32_t entries);
/* IORING_REGISTER_BUFFERS of one buffer (index 0): FOLL_LONGTERM pins of its frames. */
int gpcrace_pin_uring_register(struct gpcrace_uring *u, uint64_t addr, uint64_t len);
/* IORING_UNREGISTER_BUFFERS: drops the pins. */
int gpcrace_pin_uring_unregister(struct gpcrace_uring *u);
/* One IORING_OP_WRITE_FIXED from registered buffer 0 ([addr, addr+len) inside it) to fd at
 * offset, waited for: what the pinned frames hold, copied out. Returns the bytes written. */
int64_t gpcrace_pin_uring_write_fixed(struct gpcrace_uring *u, int fd, uint64_t addr, uint64_t len, uint64_t offset);
/* Unmaps the rings and closes the fd (registered buffers go with it). Safe on a closed ring. */
int gpcrace_pin_uring_close(struct gpcrace_uring *u);

/*
 * The kvm-pvclock --storm actor: madvise(advice) of [addr, addr + pages*4096), repeated until
 * `stop` becomes non-zero; with `touch`, every page is written first (the zap then has frames to
 * free, but the writes happen outside the invalidation). Each madvise is one MMU-notifier
 * start/end pair on a range no memslot covers: it keeps KVM's mn_active_invalidate_count non-zero
 * and makes hva_to_pfn_retry() loop. Java maps the range and owns the struct.
 */
struct gpcrace_storm {
    uint64_t addr;
    uint64_t pages;
    int32_t advice;
    uint32_t stop;           /* written by Java (volatile), read here with acquire */
    uint64_t invalidations;  /* out: completed madvise calls */
    int32_t err;             /* out: errno of the madvise that failed, else 0 */
    uint32_t touch;          /* non-zero: write every page before each madvise */
};
/* Runs the loop on the calling thread; 0 when stopped, -errno when a madvise failed. */
int gpcrace_kvm_storm(struct gpcrace_storm *s);

#ifdef __cplusplus
}
#endif
#endif /* GPCRACE_H */
