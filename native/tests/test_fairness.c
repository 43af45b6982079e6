/*
 * memslot-fairness actors: both variants run, the invalidators complete sections, the updater
 * records one wait per update, stop ends everything (also a wait in progress), and with no
 * invalidator an update never waits for anything.
 */
#define _GNU_SOURCE
#include "fairness.h"
#include "check.h"
#include "clock.h"
#include <pthread.h>
#include <sched.h>
#include <time.h>

struct inv { struct gpcrace_fairness *f; uint32_t index; int result; };

static void *run_inv(void *arg)
{
    struct inv *a = arg;
    a->result = gpcrace_fairness_invalidator(a->f, a->index);
    return NULL;
}

static void setup(struct gpcrace_fairness *f, uint32_t variant, uint32_t n, double duty)
{
    memset(f, 0, sizeof(*f));
    f->variant = variant;
    f->invalidators = n;
    f->stagger = 1;
    f->period_ns = 20000;
    f->busy_ns = (uint64_t)(duty * 20000);
    f->updater_gap_ns = 20000;
    f->wait_limit_ns = 5000000;
    f->start_ns = (uint64_t)mono_ns() + 1000000;
    gpcrace_fairness_init(f);
}

static void one(uint32_t variant, uint32_t n, double duty)
{
    struct gpcrace_fairness f;
    setup(&f, variant, n, duty);
    pthread_t t[2];
    struct inv a[2];
    for (uint32_t i = 0; i < n; i++) {
        a[i] = (struct inv){ &f, i, -1 };
        CHECK(pthread_create(&t[i], NULL, run_inv, &a[i]) == 0, "thread");
    }
    /* let the invalidators get going first (thread start can be slow under ASan and load) */
    for (int64_t t0 = mono_ns(); n > 0 && __atomic_load_n(&f.sections, __ATOMIC_RELAXED) == 0 && mono_ns() - t0 < 5000000000LL;)
        sched_yield();
    int64_t waits[200];
    int64_t done = gpcrace_fairness_updater(&f, waits, 200, 2000000000LL);
    __atomic_store_n(&f.stop, 1, __ATOMIC_RELEASE);
    for (uint32_t i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        CHECK(a[i].result == 0, "invalidator %u returned %d", i, a[i].result);
    }
    CHECK(done > 0 && done <= 200, "variant %u duty %.2f: %lld updates", variant, duty, (long long)done);
    int64_t max = 0, censored = 0;
    for (int64_t i = 0; i < done; i++) {
        if (waits[i] < 0) censored++;
        int64_t w = waits[i] < 0 ? -waits[i] : waits[i];
        if (w > max) max = w;
    }
    if (n == 0) {
        CHECK(censored == 0 && f.sections == 0, "no invalidator: nothing to wait for");
    } else {
        CHECK(f.sections > 0, "variant %u: no section completed", variant);
    }
    printf("test_fairness: variant %u, %u invalidators, duty %.2f: %lld updates, max wait %lld ns, censored %lld, %llu sections\n",
           variant, n, duty, (long long)done, (long long)max, (long long)censored, (unsigned long long)f.sections);
}

/* A stop while the updater waits cancels the wait: the sample comes back censored. */
static void *stop_later(void *arg)
{
    struct timespec ts = { 0, 30 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    __atomic_store_n(&((struct gpcrace_fairness *)arg)->stop, 1, __ATOMIC_RELEASE);
    return NULL;
}

static void cancelled_wait(void)
{
    struct gpcrace_fairness f;
    setup(&f, GPCRACE_FAIRNESS_UNFAIR_COUNT, 1, 0.5);
    f.wait_limit_ns = -1;
    sync_countwait_inc(&fairness_sync(&f)->cw); /* an invalidation that never ends */
    pthread_t t;
    CHECK(pthread_create(&t, NULL, stop_later, &f) == 0, "thread");
    int64_t waits[4];
    int64_t done = gpcrace_fairness_updater(&f, waits, 4, 5000000000LL);
    pthread_join(t, NULL);
    CHECK(done == 1 && waits[0] < 0 && -waits[0] >= 20 * 1000 * 1000, "cancelled wait: done %lld wait %lld",
          (long long)done, (long long)(done ? waits[0] : 0));
}

int main(void)
{
    for (uint32_t v = GPCRACE_FAIRNESS_UNFAIR_COUNT; v <= GPCRACE_FAIRNESS_FAIR_RWSEM; v++) {
        one(v, 0, 0.0);
        one(v, 1, 0.5);
        one(v, 2, 0.9);
    }
    cancelled_wait();
    printf("test_fairness: ok\n");
    return 0;
}
