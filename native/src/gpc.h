/*
 * gpc.h - internal: the userspace gfn-to-pfn cache and the operations every protocol variant
 * implements (the shape of struct mmu_notifier_ops: one set of functions, one file per
 * variant, one row in gpc_protocols.c).
 *
 * The cache mirrors struct gfn_to_pfn_cache: valid, generation, uhva, pfn, khva, the
 * protocol's lock (rwlock, or seqcount + SRCU), a refresh mutex; beside it the MMU-notifier
 * state KVM keeps per VM: mmu_invalidate_seq and mn_active_invalidate_count.
 */
#ifndef GPCRACE_GPC_INTERNAL_H
#define GPCRACE_GPC_INTERNAL_H
#include "gpcrace.h"
#include "sync.h"

#define G_LOAD(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define G_LOAD_ACQ(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define G_LOAD_RLX(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define G_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
#define G_STORE_REL(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define G_STORE_RLX(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define G_ADD(p, v) __atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)

#define GPC_PAGE 4096ull
/* the refresh busy-waits this long for running invalidations before it sleeps (KVM's refresh
 * is a busy loop; on shared CPUs the run sets 0 so the invalidator gets the CPU) */
#define GPC_REFRESH_SPIN_NS 200000LL

/* What a reader got from the cache on its read side. */
struct gpc_view {
    uint8_t *khva;
    uint64_t gen;
    int srcu_idx;
};

/* A translation found by the refresh, to publish. */
struct gpc_translation {
    uint8_t *khva;
    uint64_t pfn;
};

struct gpc {
    /* protocol primitives */
    struct sync_rwlock lock;            /* rwlock protocols; the writers' spinlock of the seqcount ones */
    struct sync_seqcount seq;
    struct sync_mutex refresh_lock;
    /* the cached translation, written on the protocol's write side */
    uint32_t valid;
    uint32_t lock_kind;
    uint64_t generation;
    uint64_t uhva;
    uint64_t pfn;
    uint8_t *khva;
    /* MMU-notifier state (per VM in KVM) */
    uint64_t invalidate_seq;            /* mmu_invalidate_seq */
    struct sync_countwait active;       /* mn_active_invalidate_count + its waiter */
    /* environment */
    int pagemap_fd;                     /* -1 when /proc/self/pagemap cannot be read */
    int memfd;                          /* pinned: the file behind the guest page */
    uint64_t *memfd_offset;             /* pinned: memfd offset mapped at uhva now */
    uint8_t *alias;                     /* pinned: the second mapping that keeps the old frame */
    uint64_t alias_len;
    uint32_t refresh_retry_bound;
    int64_t refresh_spin_ns;            /* busy-wait for running invalidations before sleeping */
    const uint32_t *abort;
    struct sync_srcu srcu;
};

/* Per-reader outcome of refreshes (hva_to_pfn_retry) during a round. */
struct gpc_refresh_stats {
    uint32_t refreshes;
    uint32_t retries;
    uint32_t livelock;
    int error;                          /* errno of a fault-in that failed with no invalidation around */
};

#define GPC_UFFD_NONE 0
#define GPC_UFFD_INVALIDATE_THEN_READ 1
#define GPC_UFFD_READ_THEN_INVALIDATE 2

struct gpc_ops {
    const char *id;
    int uffd_order;                     /* GPC_UFFD_*: the protocol is a userfaultfd monitor ordering */
    int needs_memfd;                    /* pinned: the alias needs a file-backed guest page */
    /* read side: enter (0 or -ECANCELED), check (1 usable: fills khva/gen; 0 invalid), leave */
    int (*read_begin)(struct gpc *g, int reader, struct gpc_view *v);
    int (*check)(struct gpc *g, struct gpc_view *v);
    void (*read_end)(struct gpc *g, int reader, struct gpc_view *v);
    /* the notifier start's cache step. policy: GPCRACE_WAIT_*; adds to *would_sleep each step
     * that waited in a sleeping primitive. 0, -EAGAIN (nothing left to undo), -ECANCELED */
    int (*invalidate_start)(struct gpc *g, int policy, uint32_t *would_sleep);
    /* the end of a refresh: on the write side, publish unless an invalidation intervened
     * since mmu_seq. 0 published, 1 retry, -ECANCELED */
    int (*publish)(struct gpc *g, const struct gpc_translation *t, uint64_t mmu_seq);
    /* the refresh's fault-in; NULL: the guest page itself (gpc_map_guest) */
    int (*map)(struct gpc *g, struct gpc_translation *t);
};

/* gpc_protocols.c */
const struct gpc_ops *gpc_protocol(int index);

/* gpc.c: the cache, shared by every protocol */
int gpc_init(struct gpc *g, uint64_t uhva, uint32_t lock_kind, uint32_t nreaders, uint32_t retry_bound,
             const uint32_t *abort);
void gpc_fini(struct gpc *g);
int gpc_refresh(struct gpc *g, const struct gpc_ops *ops, struct gpc_refresh_stats *st);
int gpc_retry_needed(struct gpc *g, uint64_t mmu_seq);
void gpc_notifier_start(struct gpc *g);
void gpc_notifier_end(struct gpc *g);
int gpc_map_guest(struct gpc *g, struct gpc_translation *t);
void gpc_set_translation(struct gpc *g, const struct gpc_translation *t);
uint64_t gpc_pagemap_pfn(int pagemap_fd, const void *addr);
/* check() of protocols whose read side is plain loads of valid/khva/generation */
int gpc_plain_check(struct gpc *g, struct gpc_view *v);
/* seqcount protocols: read under the seqcount, invalidate and publish under the writers' lock */
int gpc_seq_check(struct gpc *g, struct gpc_view *v);
void gpc_seq_invalidate(struct gpc *g);
int gpc_seq_publish(struct gpc *g, const struct gpc_translation *t, uint64_t mmu_seq);
/* publish without any read-side exclusion (unlocked, pinned): only the refresh mutex */
int gpc_plain_publish(struct gpc *g, const struct gpc_translation *t, uint64_t mmu_seq);

/* gpc_rwlock.c, shared with the userfaultfd variants (their read side is the rwlock's) */
int gpc_rwlock_read_begin(struct gpc *g, int reader, struct gpc_view *v);
int gpc_rwlock_check(struct gpc *g, struct gpc_view *v);
void gpc_rwlock_read_end(struct gpc *g, int reader, struct gpc_view *v);
int gpc_rwlock_invalidate_start(struct gpc *g, int policy, uint32_t *would_sleep);
int gpc_rwlock_publish(struct gpc *g, const struct gpc_translation *t, uint64_t mmu_seq);

/* no-op read side for protocols that take nothing */
int gpc_nop_read_begin(struct gpc *g, int reader, struct gpc_view *v);
void gpc_nop_read_end(struct gpc *g, int reader, struct gpc_view *v);
#endif
