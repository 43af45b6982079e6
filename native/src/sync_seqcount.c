/*
 * sync_seqcount.c - seqcount_t (include/linux/seqlock.h): an odd count while a write is in
 * progress; readers retry when the count moved.
 */
#define _GNU_SOURCE
#include "sync_wait.h"

void sync_seqcount_init(struct sync_seqcount *s) { s->seq = 0; }

void sync_seq_write_begin(struct sync_seqcount *s)
{
    STORE_RLX(&s->seq, LOAD_RLX(&s->seq) + 1u);
    __atomic_thread_fence(__ATOMIC_RELEASE); /* smp_wmb: the odd count is visible before the data */
}

void sync_seq_write_end(struct sync_seqcount *s)
{
    STORE_REL(&s->seq, LOAD_RLX(&s->seq) + 1u); /* smp_wmb + even count after the data */
}

uint32_t sync_seq_read_begin(const struct sync_seqcount *s)
{
    for (;;) {
        uint32_t v = LOAD_ACQ(&s->seq);
        if (!(v & 1u)) return v;
        sync_cpu_relax();
    }
}

int sync_seq_read_retry(const struct sync_seqcount *s, uint32_t start)
{
    __atomic_thread_fence(__ATOMIC_ACQUIRE); /* smp_rmb: the data reads happen before this check */
    return LOAD_RLX(&s->seq) != start;
}
