/*
 * fairness.h - internal: the sync objects memslot-fairness keeps in gpcrace_fairness's private
 * area. Java sizes that area (pad_sync in Layouts.GPCRACE_FAIRNESS) but never looks inside, so
 * their layout stays out of the public header; the asserts keep the area big enough.
 */
#ifndef GPCRACE_FAIRNESS_H
#define GPCRACE_FAIRNESS_H
#include "gpcrace.h"
#include "sync.h"

struct fairness_sync {
    struct sync_countwait cw;   /* UNFAIR_COUNT: mn_active_invalidate_count and its rcuwait */
    struct sync_rwlock rw;      /* FAIR_RWSEM: the sleeping rwlock */
};
_Static_assert(sizeof(struct fairness_sync) == sizeof(((struct gpcrace_fairness *)0)->sync_private),
               "gpcrace_fairness.sync_private holds exactly the count-wait and the rwlock");
_Static_assert(_Alignof(struct fairness_sync) <= _Alignof(uint64_t), "sync_private is 8-byte aligned");

static inline struct fairness_sync *fairness_sync(struct gpcrace_fairness *f)
{
    return (struct fairness_sync *)(void *)f->sync_private;
}
#endif
