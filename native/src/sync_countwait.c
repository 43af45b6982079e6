/*
 * sync_countwait.c - KVM's mn_active_invalidate_count and the rcuwait its waiter sleeps on
 * (virt/kvm/kvm_main.c: kvm_mmu_notifier_invalidate_range_start/_end increment and decrement it,
 * kvm_swap_active_memslots waits for zero).
 */
#define _GNU_SOURCE
#include "sync_wait.h"

#include <limits.h>

void sync_countwait_init(struct sync_countwait *cw, const uint32_t *abort)
{
    cw->count = 0;
    cw->wake = 0;
    cw->sleepers = 0;
    cw->pad = 0;
    cw->abort = abort;
}

void sync_countwait_inc(struct sync_countwait *cw) { ADD(&cw->count, 1u); }

void sync_countwait_dec(struct sync_countwait *cw)
{
    if (SUB(&cw->count, 1u) == 0 && LOAD(&cw->sleepers)) {
        ADD(&cw->wake, 1u);
        sync_futex_wake(&cw->wake, INT_MAX); /* rcuwait_wake_up */
    }
}

uint32_t sync_countwait_count(const struct sync_countwait *cw) { return LOAD(&cw->count); }

int sync_countwait_wait_zero(struct sync_countwait *cw, int64_t timeout_ns)
{
    if (LOAD(&cw->count) == 0) return 0;
    int64_t deadline = deadline_of(timeout_ns);
    int r = 0;
    ADD(&cw->sleepers, 1u);
    for (;;) {
        uint32_t seq = LOAD(&cw->wake);
        if (LOAD(&cw->count) == 0) break;
        r = sleep_on(&cw->wake, seq, cw->abort, deadline);
        if (r < 0) break;
    }
    SUB(&cw->sleepers, 1u);
    return r;
}

int sync_countwait_wait_zero_spin(struct sync_countwait *cw, int64_t spin_ns, int64_t timeout_ns)
{
    if (LOAD(&cw->count) == 0) return 0;
    int64_t start = mono_ns();
    uint32_t n = 0;
    while (LOAD(&cw->count) != 0) {
        sync_cpu_relax();
        if ((++n & 63u) == 0) {
            if (aborted(cw->abort)) return -ECANCELED;
            int64_t spent = mono_ns() - start;
            if (spent >= spin_ns) {
                int64_t left = timeout_ns < 0 ? -1 : timeout_ns - spent;
                if (timeout_ns >= 0 && left <= 0) return -ETIMEDOUT;
                return sync_countwait_wait_zero(cw, left);
            }
        }
    }
    return 0;
}
