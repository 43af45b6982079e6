/*
 * memslot-fairness: the memslot updater's wait for running invalidations, modelled on the race
 * engine's count-wait and sleeping rwlock (virt/kvm/kvm_main.c: kvm_swap_active_memslots waits
 * for mn_active_invalidate_count to reach zero). Invalidators keep a fixed schedule (absolute deadlines, so staggered phases stay
 * staggered); short idle gaps are spun, longer ones slept with a 1 ns timer slack, so the duty
 * cycle is what was asked for and not what the scheduler's wake-up latency leaves of it.
 */
#include "fairness.h"
#include "clock.h"
#include <errno.h>
#include <sys/prctl.h>
#include <time.h>

#define SPIN_BELOW_NS 50000LL

static int stopped(const struct gpcrace_fairness *f) { return __atomic_load_n(&f->stop, __ATOMIC_ACQUIRE) != 0; }

/* Waits until `deadline` (CLOCK_MONOTONIC ns): spins when close, sleeps otherwise. */
static void until(const struct gpcrace_fairness *f, int64_t deadline)
{
    for (;;) {
        int64_t left = deadline - mono_ns();
        if (left <= 0 || stopped(f)) return;
        if (left < SPIN_BELOW_NS) {
            sync_cpu_relax();
            continue;
        }
        struct timespec ts = { (time_t)((deadline - SPIN_BELOW_NS / 2) / 1000000000LL),
                               (long)((deadline - SPIN_BELOW_NS / 2) % 1000000000LL) };
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
    }
}

void gpcrace_fairness_init(struct gpcrace_fairness *f)
{
    struct fairness_sync *fs = fairness_sync(f);
    f->sections = 0;
    sync_countwait_init(&fs->cw, &f->stop);
    sync_rwlock_init(&fs->rw, GPCRACE_RWLOCK_SLEEPING, &f->stop);
}

int gpcrace_fairness_invalidator(struct gpcrace_fairness *f, uint32_t index)
{
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    struct fairness_sync *fs = fairness_sync(f);
    int64_t period = (int64_t)f->period_ns, busy = (int64_t)f->busy_ns;
    int64_t next = (int64_t)f->start_ns;
    if (f->stagger && f->invalidators > 0) next += period * index / f->invalidators;
    while (!stopped(f)) {
        until(f, next);
        if (stopped(f)) break;
        if (f->variant == GPCRACE_FAIRNESS_UNFAIR_COUNT) {
            sync_countwait_inc(&fs->cw);                        /* invalidate_range_start */
        } else {
            int r = sync_rwlock_read_lock(&fs->rw);
            if (r == -ECANCELED) break;
            if (r < 0) return r;
        }
        int64_t end = mono_ns() + busy;
        while (mono_ns() < end) sync_cpu_relax();               /* the invalidation's work */
        if (f->variant == GPCRACE_FAIRNESS_UNFAIR_COUNT) sync_countwait_dec(&fs->cw); /* range_end */
        else sync_rwlock_read_unlock(&fs->rw);
        __atomic_fetch_add(&f->sections, 1, __ATOMIC_RELAXED);
        next += period;
        int64_t t = mono_ns();
        if (next + busy <= t) next += ((t - next) / period) * period; /* preempted: keep the phase, skip missed cycles */
    }
    return 0;
}

int64_t gpcrace_fairness_updater(struct gpcrace_fairness *f, int64_t *waits, int64_t n, int64_t budget_ns)
{
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    struct fairness_sync *fs = fairness_sync(f);
    int64_t done = 0, t_end = mono_ns() + budget_ns;
    uint64_t rng = f->start_ns | 1;
    while (done < n && !stopped(f) && mono_ns() < t_end) {
        /* a random gap in [gap/2, 3*gap/2): a fixed gap would lock onto the invalidators' period
         * and always land in the same phase of their cycle */
        rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
        uint64_t gap = f->updater_gap_ns ? f->updater_gap_ns / 2 + rng % f->updater_gap_ns : 0;
        until(f, mono_ns() + (int64_t)gap);
        int64_t t0 = mono_ns();
        int r;
        if (f->variant == GPCRACE_FAIRNESS_UNFAIR_COUNT) {
            r = sync_countwait_wait_zero(&fs->cw, f->wait_limit_ns);  /* kvm_swap_active_memslots */
        } else {
            r = sync_rwlock_write_lock(&fs->rw, GPCRACE_WAIT_SLEEP);  /* down_write */
            if (r >= 0) sync_rwlock_write_unlock(&fs->rw);
        }
        int64_t w = mono_ns() - t0;
        if (r == -ETIMEDOUT || r == -ECANCELED) waits[done++] = -(w > 0 ? w : 1);
        else if (r < 0) return r;
        else waits[done++] = w;
        if (r == -ECANCELED) break;
    }
    return done;
}
