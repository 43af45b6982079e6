/*
 * kvm-pvclock --storm: invalidations of a range no memslot covers, back to back. KVM's notifier
 * counts every invalidation of the process (mn_active_invalidate_count), in a memslot or not, and
 * hva_to_pfn_retry() retries while that count is non-zero: the storm makes the GPC refresh loop.
 */
#include "gpcrace.h"
#include <errno.h>
#include <sys/mman.h>

#define STORM_PAGE 4096u

int gpcrace_kvm_storm(struct gpcrace_storm *s)
{
    volatile unsigned char *p = (volatile unsigned char *)(uintptr_t)s->addr;
    uint64_t n = 0;
    s->err = 0;
    while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
        if (s->touch)
            for (uint64_t i = 0; i < s->pages; i++) p[i * STORM_PAGE] = (unsigned char)n; /* fault in: a zap with work to do */
        if (madvise((void *)(uintptr_t)s->addr, s->pages * STORM_PAGE, s->advice) != 0) {
            s->err = errno;
            return -s->err;
        }
        __atomic_store_n(&s->invalidations, ++n, __ATOMIC_RELAXED);
    }
    return 0;
}
