/*
 * gpc.h - internal: the userspace gfn-to-pfn cache, the per-VM MMU-notifier state it is checked
 * against, and the operations every protocol variant implements (the shape of struct
 * mmu_notifier_ops: one set of functions, one file per variant, one row in gpc_protocols.c).
 *
 * It follows virt/kvm/pfncache.c of mainline Linux v6.9 .. v6.18 (the read-then-write lock in
 * gfn_to_pfn_cache_invalidate_start of 21dadfcd665e, __kvm_gpc_activate, kvm_gpc_deactivate and
 * gpc_map/gpc_unmap), and virt/kvm/kvm_main.c's kvm_mmu_notifier_invalidate_range_start/_end.
 * Each C function names the kernel function it mirrors. The model (org.gpcrace.model) has the
 * same steps.
 *
 *   struct gpc     struct gfn_to_pfn_cache: active, valid, generation, uhva, pfn, khva, the
 *                  protocol's lock (rwlock, or seqlock + SRCU), refresh_lock;
 *   struct gpc_vm  what KVM keeps per VM in struct kvm: mn_invalidate_lock,
 *                  mn_active_invalidate_count, mmu_invalidate_seq, gpc_lock, mmu_lock, and the
 *                  range the 2024 "wait for pending invalidations" refresh needs.
 */
#ifndef GPCRACE_GPC_INTERNAL_H
#define GPCRACE_GPC_INTERNAL_H
#include "gpcrace.h"
#include "sync.h"

#include <sys/types.h>

#define G_LOAD(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define G_LOAD_ACQ(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define G_LOAD_RLX(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define G_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
#define G_STORE_REL(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define G_STORE_RLX(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define G_ADD(p, v) __atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#define G_CAS(p, expp, desired) \
    __atomic_compare_exchange_n((p), (expp), (desired), 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)

#define GPC_PAGE 4096ull
/* khva is published with the generation in its low bits, so one load gives a reader both (the
 * harness's tag: it must never pair a khva with another translation's generation) */
#define GPC_TAG_MASK (GPC_PAGE - 1)
#define GPC_ALIAS_SLOTS 16

/* What a reader got from the cache on its read side. */
struct gpc_view {
    uint8_t *khva;
    uint64_t gen;
    int srcu_idx;
};

/* A translation found by hva_to_pfn, and the kernel mapping made for it (gpc_map). */
struct gpc_translation {
    uint8_t *khva;
    uint64_t pfn;
    uint64_t offset;                    /* memfd offset of the frame (file-backed memory) */
};

/*
 * The notifier path's context: whether it may block, what it does at a step that would wait,
 * what it counted. policy: GPCRACE_WAIT_* (SLEEP in a blocking context).
 */
struct gpc_wait {
    int nonblock;
    int policy;
    int end_path;                       /* invalidate_range_end: it cannot give up, EAGAIN spins instead */
    uint32_t would_sleep;               /* steps that waited in a sleeping primitive where sleeping is forbidden */
    uint32_t kicks;                     /* guest mode: readers kicked */
    uint32_t deferred;                  /* work handed to the defer worker */
};

/* Per-reader state the guest mode needs (struct kvm_vcpu's mode and requests). */
#define GPC_OUTSIDE_GUEST 0u
#define GPC_IN_GUEST 1u
#define GPC_EXITING_GUEST 2u
struct gpc_vcpu {
    uint32_t mode;                      /* vcpu->mode; the kicker waits on this word for the exit */
    uint32_t request;                   /* KVM_REQ_OUTSIDE_GUEST_MODE pending */
    pid_t tid;
    uint32_t pad;
    int64_t kick_t0;                    /* when the kick was sent (CLOCK_MONOTONIC ns) */
} __attribute__((aligned(64)));

/* The defer worker's queue: what a deferred non-blockable start left to do. */
#define GPC_DEFER_QUEUE 16
#define GPC_DEFER_INVALIDATE 1          /* the protocol's own cache step, waiting as a blocking context may */
#define GPC_DEFER_ACKS 2                /* wait for the kicked readers to leave guest mode */
#define GPC_DEFER_UNMAP_GFN 3           /* kvm_unmap_gfn_range under write_lock(&kvm->mmu_lock) */
struct gpc_defer {
    uint32_t head, tail;                /* under lock */
    uint32_t items[GPC_DEFER_QUEUE];
    uint32_t kick_mask[GPC_DEFER_QUEUE];
    struct sync_mutex lock;
    uint32_t wake;                      /* futex: items queued or stop */
    uint32_t idle;                      /* futex: the queue is empty and the worker waits */
    uint32_t stop;
    int64_t first_ns;                   /* the round's first deferral */
    int64_t done_ns;                    /* the worker finished the round's deferred work */
};

/* The per-VM state of struct kvm that the cache is checked against. */
struct gpc_vm {
    struct sync_rwlock mn_invalidate_lock;  /* spinlock_t (only taken exclusively) */
    struct sync_countwait active;       /* mn_active_invalidate_count */
    uint64_t invalidate_seq;            /* mmu_invalidate_seq */
    uint64_t range_start, range_end;    /* mmu_gpc_invalidate_range_start/_end (refresh wait) */
    uint32_t gpc_invalidate_wq;         /* futex word: bumped when the count drops to 0 */
    uint32_t wq_sleepers;
    struct sync_rwlock gpc_lock;        /* kvm->gpc_lock (spinlock_t over the list of caches) */
    struct sync_rwlock mmu_lock;        /* kvm->mmu_lock (rwlock_t on x86) */
};

/* The kernel mappings khva can be: slots of one reserved range, each a MAP_SHARED view of a
 * memfd page while mapped and PROT_NONE once gpc_unmap tore it down (anonymous memory has no
 * second view of a frame: there khva is the user address itself). */
struct gpc_khva_area {
    uint8_t *base;                      /* NULL: khva is the user address */
    uint64_t slot_len;
    int memfd;
    uint32_t busy;                      /* bit s: slot s is mapped */
    uint32_t next;                      /* the slot to try first (least recently freed) */
    uint32_t quarantine;                /* bit s: torn down this round; a stale reader may still hold it */
    uint64_t torn_down;                 /* gpc_unmap calls that tore a mapping down */
};

struct gpc_stats {
    uint32_t refreshes;
    uint32_t retries;
    uint32_t max_retries;
    uint32_t livelock;
    int error;                          /* errno of a fault-in that failed with no invalidation around */
};

struct gpc_ops;

struct gpc {
    /* protocol primitives */
    struct sync_rwlock lock;            /* gpc->lock; for the seqcount protocols the writers' lock of the seqlock */
    struct sync_seqcount seq;
    struct sync_mutex refresh_lock;
    struct sync_srcu srcu;
    /* the cached translation, written on the protocol's write side */
    uint32_t active;
    uint32_t valid;
    uint32_t needs_invalidation;        /* refresh wait: a translation in flight that an invalidation must cancel */
    uint32_t refresh_mode;
    uint64_t generation;
    uint64_t khva_word;                 /* khva | (generation & GPC_TAG_MASK); 0 when unmapped */
    uint8_t *khva;
    uint64_t pfn;
    uint64_t offset;                    /* memfd offset behind khva */
    uint64_t uhva;
    uint64_t len;                       /* the range an invalidation must cover to hit the cache */
    /* the harness's record of each generation's frame, for the snapshot and the oracle */
    uint64_t gen_offset[GPCRACE_GPC_GENS];
    struct gpc_vm vm;
    struct gpc_khva_area area;
    const struct gpc_ops *ops;
    /* guest mode */
    int guest;
    uint32_t nvcpus;
    struct gpc_vcpu *vcpus;
    int kick_signal;
    /* non-blockable deferral */
    struct gpc_defer defer;
    /* environment */
    int pagemap_fd;                     /* -1 when /proc/self/pagemap cannot be read */
    const uint64_t *memfd_offset;       /* memfd offset mapped at uhva now (remap flips it) */
    uint32_t refresh_retry_bound;
    int yield_on_retry;                 /* cond_resched() in the retry loop: the CPUs are shared */
    const uint32_t *abort;
};

#define GPC_UFFD_NONE 0
#define GPC_UFFD_INVALIDATE_THEN_READ 1
#define GPC_UFFD_READ_THEN_INVALIDATE 2

struct gpc_ops {
    const char *id;
    int uffd_order;                     /* GPC_UFFD_*: the protocol is a userfaultfd monitor ordering */
    int needs_memfd;                    /* pinned: the pin is a second mapping of a file page */
    int pinned;                         /* the cache keeps its translation: nothing invalidates it */
    /* read side: enter (0 or -ECANCELED), check (1 usable: fills khva/gen; 0 not), leave */
    int (*read_begin)(struct gpc *g, int reader, struct gpc_view *v);
    int (*check)(struct gpc *g, struct gpc_view *v);
    void (*read_end)(struct gpc *g, int reader, struct gpc_view *v);
    /* gfn_to_pfn_cache_invalidate_start's cache step: valid = false under the protocol's
     * exclusion, waiting as w allows (0, -EAGAIN before anything changed, -ECANCELED) */
    int (*invalidate_start)(struct gpc *g, struct gpc_wait *w);
    /* the write side the refresh, activate and deactivate hold: write_lock_irq(&gpc->lock), or
     * write_seqlock; NULL for protocols without one. Blocking contexts only. */
    int (*write_lock)(struct gpc *g);
    void (*write_unlock)(struct gpc *g);
    /* the waiting part of the cache step, done later by the defer worker after a deferred start
     * only marked the cache invalid: drain the readers (rwlock), synchronize_srcu; NULL: none */
    int (*drain)(struct gpc *g);
    /* gpc_unmap's wait before a khva is torn down (synchronize_srcu for the SRCU protocols,
     * "SRCU only needs to be synchronized in gpc_unmap()"), NULL when nothing can still use it */
    int (*unmap_sync)(struct gpc *g);
};

/* gpc_protocols.c */
const struct gpc_ops *gpc_protocol(int index);

/* gpc.c: the cache */
struct gpc_init_args {
    uint64_t uhva, len;
    uint32_t lock_kind, nreaders, retry_bound, refresh_mode;
    int preempt_rt;
    int memfd;                          /* >= 0: khva is a view of the memfd page (alias slots) */
    uint64_t alias_len;
    const uint64_t *memfd_offset;
    const uint32_t *abort;
};
int gpc_init(struct gpc *g, const struct gpc_ops *ops, const struct gpc_init_args *a);
void gpc_fini(struct gpc *g);
int gpc_refresh(struct gpc *g, struct gpc_stats *st);
int gpc_activate(struct gpc *g, struct gpc_stats *st);
int gpc_deactivate(struct gpc *g);
uint64_t gpc_pagemap_pfn(int pagemap_fd, const void *addr);
/* A published translation: valid, khva and generation (tagged), under the protocol's write side. */
void gpc_set_translation(struct gpc *g, const struct gpc_translation *t);
/* kvm_gpc_check, split as the C reads it: active, valid, then khva with its generation tag. */
int gpc_plain_check(struct gpc *g, struct gpc_view *v);
/* The same three loads inside a seqcount read section. */
int gpc_seq_check(struct gpc *g, struct gpc_view *v);
/* Readers' frame views for the harness. */
uint8_t *gpc_khva_area_base(const struct gpc *g);
/* The round is over: no reader still holds a khva torn down in it. */
void gpc_khva_release_quarantine(struct gpc *g);
uint64_t gpc_khva_area_len(const struct gpc *g);

/* gpc_vm.c: the per-VM notifier state and the notifier path */
void gpc_vm_init(struct gpc_vm *vm, int preempt_rt, const uint32_t *abort);
/* kvm_mmu_notifier_invalidate_range_start / _end for [start, end); hits: the range is in a
 * memslot (KVM then takes mmu_lock); cache: it covers the cached page. 0, -EAGAIN, -ECANCELED. */
int gpc_range_start(struct gpc *g, uint64_t start, uint64_t end, int hits, struct gpc_wait *w);
void gpc_range_end(struct gpc *g, uint64_t start, uint64_t end, int hits, struct gpc_wait *w);
/* mmu_notifier_retry_cache(): an invalidation is running, or one ran since mmu_seq was read. */
int gpc_retry_needed(struct gpc *g, uint64_t mmu_seq);
/* gpc_wait_for_invalidations (2024 series): sleep while an invalidation covering uhva runs. */
int gpc_wait_for_invalidations(struct gpc *g);
/* The userfaultfd monitor's notifier (no KVM locks: a userspace cache): count++, the protocol's
 * cache step in a blocking context, and the end (mmu_invalidate_seq++, count--). */
void gpc_uffd_start(struct gpc *g);
int gpc_uffd_invalidate(struct gpc *g);
void gpc_uffd_end(struct gpc *g);
/* A lock of the notifier path taken as w allows: 0 at once, 1 after waiting, -EAGAIN, -ECANCELED. */
int gpc_lock_nb(struct sync_rwlock *l, struct gpc_wait *w);

/* gpc_guest.c: guest mode (KVM_GUEST_USES_PFN): vCPU modes, requests, kicks */
int gpc_guest_init(struct gpc *g, uint32_t nvcpus);
void gpc_guest_fini(struct gpc *g);
void gpc_guest_register(struct gpc *g, int reader);
/* vcpu_enter_guest's mode switch: 1 in guest mode, 0 a request is pending (stay out). */
int gpc_guest_enter(struct gpc *g, int reader);
/* The reader's signal handler has run since it entered (the IPI arrived). */
int gpc_guest_kicked(void);
/* Leaves guest mode (the acknowledgement); returns the kick latency in ns when it was kicked, else 0. */
int64_t gpc_guest_exit(struct gpc *g, int reader);
/* kvm_make_vcpus_request_mask(KVM_REQ_OUTSIDE_GUEST_MODE [| KVM_REQUEST_WAIT]) for every reader
 * in guest mode: 0, -EAGAIN (policy NONE and a reader needed kicking), -ECANCELED. */
int gpc_guest_evict(struct gpc *g, struct gpc_wait *w);
/* Waits until the readers in kick_mask left guest mode (blocking; the defer worker's). */
int gpc_guest_wait_acks(struct gpc *g, uint32_t kick_mask, int policy, uint32_t *would_sleep);

/* gpc_defer.c: the worker that does what a deferred start left to do */
void gpc_defer_init(struct gpc_defer *d, const uint32_t *abort);
void gpc_defer_push(struct gpc *g, uint32_t item, uint32_t kick_mask);
/* The worker's loop until gpc_defer_stop; returns 0 or -ECANCELED. */
int gpc_defer_run(struct gpc *g);
void gpc_defer_stop(struct gpc *g);
/* Waits until the queue is empty and the worker idle (the round's end). */
int gpc_defer_drain(struct gpc *g);
void gpc_defer_round_reset(struct gpc *g);

/* gpc_rwlock.c, shared with the userfaultfd variants (their read side is the rwlock's) */
int gpc_rwlock_read_begin(struct gpc *g, int reader, struct gpc_view *v);
int gpc_rwlock_check(struct gpc *g, struct gpc_view *v);
void gpc_rwlock_read_end(struct gpc *g, int reader, struct gpc_view *v);
int gpc_rwlock_invalidate_start(struct gpc *g, struct gpc_wait *w);
int gpc_rwlock_write_lock(struct gpc *g);
void gpc_rwlock_write_unlock(struct gpc *g);
int gpc_rwlock_drain(struct gpc *g);

/* gpc_seqcount.c, shared by the seqcount protocols */
int gpc_seq_invalidate(struct gpc *g, struct gpc_wait *w);
int gpc_seq_write_lock(struct gpc *g);
void gpc_seq_write_unlock(struct gpc *g);
int gpc_srcu_read_begin(struct gpc *g, int reader, struct gpc_view *v);
void gpc_srcu_read_end(struct gpc *g, int reader, struct gpc_view *v);
int gpc_srcu_unmap_sync(struct gpc *g);

/* no-op read side for protocols that take nothing */
int gpc_nop_read_begin(struct gpc *g, int reader, struct gpc_view *v);
void gpc_nop_read_end(struct gpc *g, int reader, struct gpc_view *v);
#endif
