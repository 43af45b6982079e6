/*
 * The sync primitives: futex timeouts, both barriers release everyone (and time out / abort),
 * mutual exclusion of the mutex and both rwlock kinds under contention, the writer-preferring
 * rule, the write_lock policies, seqcount consistency, SRCU synchronize waiting for a reader
 * that is inside (and the publish/retire stress), count-wait.
 */
#define _GNU_SOURCE
#include "sync.h"
#include "check.h"
#include "clock.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#define LD(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define ST(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
#define INC(p) __atomic_add_fetch((p), 1, __ATOMIC_SEQ_CST)
#define DEC(p) __atomic_sub_fetch((p), 1, __ATOMIC_SEQ_CST)

static void sleep_ms(int ms) { usleep((useconds_t)ms * 1000u); }

typedef void *(*thread_fn)(void *);
static void run_threads(int n, thread_fn fn, void *arg)
{
    pthread_t t[16];
    CHECK(n <= 16, "too many threads");
    for (int i = 0; i < n; i++) CHECK(pthread_create(&t[i], NULL, fn, arg) == 0, "pthread_create");
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
}

/* ---------------------------------------------------------------- futex */

static uint32_t fword;
static void *futex_waker(void *arg)
{
    (void)arg;
    sleep_ms(20);
    ST(&fword, 1u);
    sync_futex_wake(&fword, 1);
    return NULL;
}

static void test_futex(void)
{
    uint32_t w = 5;
    CHECK(sync_futex_wait(&w, 4, 1000000) == -EAGAIN, "mismatch must return -EAGAIN");
    int64_t t0 = mono_ns();
    CHECK(sync_futex_wait(&w, 5, 2000000) == -ETIMEDOUT, "timeout");
    CHECK(mono_ns() - t0 >= 1500000, "timed out too early");
    CHECK(sync_futex_wake(&w, 1) == 0, "nobody to wake");
    pthread_t t;
    ST(&fword, 0u);
    pthread_create(&t, NULL, futex_waker, NULL);
    while (LD(&fword) == 0) sync_futex_wait(&fword, 0, 1000000000LL);
    pthread_join(t, NULL);
}

/* ---------------------------------------------------------------- barriers */

#define BAR_THREADS 4
#define BAR_ROUNDS 2000
static struct sync_spin_barrier sbar;
static struct sync_sleep_barrier lbar;
static uint32_t bar_arrived, bar_last, bar_bad;

static void *barrier_actor(void *arg)
{
    int sleeping = *(int *)arg;
    uint32_t sense = 0;
    for (uint32_t round = 1; round <= BAR_ROUNDS; round++) {
        INC(&bar_arrived);
        int r = sleeping ? sync_sleep_barrier_wait(&lbar, 5000000000LL) : sync_spin_barrier_wait(&sbar, &sense);
        if (r < 0) { INC(&bar_bad); return NULL; }
        if (r == 1) INC(&bar_last);
        /* everyone of this round arrived before anyone left */
        if (LD(&bar_arrived) < round * BAR_THREADS) INC(&bar_bad);
        /* second barrier so nobody races ahead into the next round's count */
        r = sleeping ? sync_sleep_barrier_wait(&lbar, 5000000000LL) : sync_spin_barrier_wait(&sbar, &sense);
        if (r < 0) { INC(&bar_bad); return NULL; }
    }
    return NULL;
}

static uint32_t abort_word;
static void *abort_later(void *arg)
{
    (void)arg;
    sleep_ms(30);
    ST(&abort_word, 1u);
    return NULL;
}

static void test_barriers(void)
{
    for (int sleeping = 0; sleeping <= 1; sleeping++) {
        sync_spin_barrier_init(&sbar, BAR_THREADS, NULL);
        sync_sleep_barrier_init(&lbar, BAR_THREADS, NULL);
        bar_arrived = bar_last = bar_bad = 0;
        run_threads(BAR_THREADS, barrier_actor, &sleeping);
        CHECK(bar_bad == 0, "%s barrier released a thread early (%u)", sleeping ? "sleeping" : "spin", bar_bad);
        CHECK(bar_last == BAR_ROUNDS, "%s barrier: %u last arrivals for %d rounds", sleeping ? "sleeping" : "spin",
              bar_last, BAR_ROUNDS);
    }
    /* a party that never comes: timeout, and abort of both kinds */
    sync_sleep_barrier_init(&lbar, 2, NULL);
    CHECK(sync_sleep_barrier_wait(&lbar, 3000000) == -ETIMEDOUT, "sleeping barrier timeout");
    pthread_t t;
    abort_word = 0;
    sync_sleep_barrier_init(&lbar, 2, &abort_word);
    pthread_create(&t, NULL, abort_later, NULL);
    CHECK(sync_sleep_barrier_wait(&lbar, -1) == -ECANCELED, "sleeping barrier abort");
    pthread_join(t, NULL);
    abort_word = 0;
    sync_spin_barrier_init(&sbar, 2, &abort_word);
    uint32_t sense = 0;
    pthread_create(&t, NULL, abort_later, NULL);
    CHECK(sync_spin_barrier_wait(&sbar, &sense) == -ECANCELED, "spin barrier abort");
    pthread_join(t, NULL);
}

/* ---------------------------------------------------------------- mutex */

static struct sync_mutex mtx;
static uint64_t mtx_counter;
static void *mutex_actor(void *arg)
{
    (void)arg;
    for (int i = 0; i < 50000; i++) {
        CHECK(sync_mutex_lock(&mtx) == 0, "mutex_lock");
        uint64_t v = __atomic_load_n(&mtx_counter, __ATOMIC_RELAXED);
        if ((i & 63) == 0) sched_yield(); /* widen the window a broken lock would expose */
        __atomic_store_n(&mtx_counter, v + 1, __ATOMIC_RELAXED);
        sync_mutex_unlock(&mtx);
    }
    return NULL;
}

static void test_mutex(void)
{
    sync_mutex_init(&mtx, NULL);
    mtx_counter = 0;
    run_threads(4, mutex_actor, NULL);
    CHECK(mtx_counter == 200000, "lost updates under the mutex: %llu", (unsigned long long)mtx_counter);
    CHECK(sync_mutex_trylock(&mtx) == 0 && sync_mutex_trylock(&mtx) == -EBUSY, "trylock");
    sync_mutex_unlock(&mtx);
}

/* ---------------------------------------------------------------- rwlock */

static struct sync_rwlock rw;
static uint32_t rw_readers_in, rw_writers_in, rw_violations;
static uint64_t rw_a, rw_b;
static uint32_t rw_stop;

static void *rw_reader(void *arg)
{
    (void)arg;
    while (!LD(&rw_stop)) {
        CHECK(sync_rwlock_read_lock(&rw) == 0, "read_lock");
        INC(&rw_readers_in);
        if (LD(&rw_writers_in)) INC(&rw_violations);
        if (__atomic_load_n(&rw_a, __ATOMIC_RELAXED) != __atomic_load_n(&rw_b, __ATOMIC_RELAXED)) INC(&rw_violations);
        DEC(&rw_readers_in);
        sync_rwlock_read_unlock(&rw);
    }
    return NULL;
}

static void *rw_writer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3000; i++) {
        CHECK(sync_rwlock_write_lock(&rw, GPCRACE_WAIT_SLEEP) >= 0, "write_lock");
        if (INC(&rw_writers_in) != 1) INC(&rw_violations);
        if (LD(&rw_readers_in)) INC(&rw_violations);
        __atomic_store_n(&rw_a, rw_a + 1, __ATOMIC_RELAXED);
        __atomic_store_n(&rw_b, rw_b + 1, __ATOMIC_RELAXED);
        DEC(&rw_writers_in);
        sync_rwlock_write_unlock(&rw);
    }
    return NULL;
}

static void *rw_mixed(void *arg)
{
    long id = (long)arg;
    return (id & 1) ? rw_writer(NULL) : rw_reader(NULL);
}

static void rw_stress(uint32_t kind)
{
    sync_rwlock_init(&rw, kind, NULL);
    rw_readers_in = rw_writers_in = rw_violations = 0;
    rw_a = rw_b = 0;
    rw_stop = 0;
    pthread_t r[3], w[2];
    for (long i = 0; i < 3; i++) pthread_create(&r[i], NULL, rw_mixed, (void *)(i * 2));
    for (long i = 0; i < 2; i++) pthread_create(&w[i], NULL, rw_mixed, (void *)(i * 2 + 1));
    for (int i = 0; i < 2; i++) pthread_join(w[i], NULL);
    ST(&rw_stop, 1u);
    for (int i = 0; i < 3; i++) pthread_join(r[i], NULL);
    CHECK(rw_violations == 0, "rwlock kind %u: %u exclusion violations", kind, rw_violations);
    CHECK(rw_a == 6000 && rw_b == 6000, "rwlock kind %u: lost writes %llu/%llu", kind, (unsigned long long)rw_a,
          (unsigned long long)rw_b);
}

/* writer-preferring: reader A inside, writer W announced, reader B must wait for W */
static uint32_t order_log[4], order_n;
static void logev(uint32_t ev) { order_log[INC(&order_n) - 1] = ev; }

static void *late_writer(void *arg)
{
    int *ret = arg;
    *ret = sync_rwlock_write_lock(&rw, GPCRACE_WAIT_SLEEP);
    logev(2);
    sync_rwlock_write_unlock(&rw);
    return NULL;
}

static void *late_reader(void *arg)
{
    (void)arg;
    CHECK(sync_rwlock_read_lock(&rw) == 0, "read_lock");
    logev(3);
    sync_rwlock_read_unlock(&rw);
    return NULL;
}

static void rw_fairness_and_policies(uint32_t kind)
{
    sync_rwlock_init(&rw, kind, NULL);
    CHECK(sync_rwlock_write_lock(&rw, GPCRACE_WAIT_NONE) == 0, "free lock: no wait");
    sync_rwlock_write_unlock(&rw);

    CHECK(sync_rwlock_read_lock(&rw) == 0, "reader A");
    CHECK(sync_rwlock_readers(&rw) == 1, "one reader inside");
    CHECK(sync_rwlock_write_lock(&rw, GPCRACE_WAIT_NONE) == -EAGAIN, "policy NONE with a reader inside");
    CHECK(sync_rwlock_read_lock(&rw) == 0, "a withdrawn writer must not block readers");
    sync_rwlock_read_unlock(&rw);

    order_n = 0;
    int wret = -100;
    pthread_t w, b;
    pthread_create(&w, NULL, late_writer, &wret);
    sleep_ms(30); /* W has announced itself and waits for A */
    pthread_create(&b, NULL, late_reader, NULL);
    sleep_ms(30); /* B is held off by the announced writer */
    CHECK(LD(&order_n) == 0, "kind %u: reader B or writer entered while A was inside", kind);
    logev(1);
    sync_rwlock_read_unlock(&rw);
    pthread_join(w, NULL);
    pthread_join(b, NULL);
    CHECK(order_n == 3 && order_log[0] == 1 && order_log[1] == 2 && order_log[2] == 3,
          "kind %u: expected A-out, W, B; got %u %u %u", kind, order_log[0], order_log[1], order_log[2]);
    CHECK(wret == 1, "kind %u: writer that waited for a reader must return 1, got %d", kind, wret);

    /* abort releases a writer stuck behind a reader that never leaves */
    abort_word = 0;
    sync_rwlock_init(&rw, kind, &abort_word);
    CHECK(sync_rwlock_read_lock(&rw) == 0, "reader");
    pthread_t t;
    pthread_create(&t, NULL, abort_later, NULL);
    CHECK(sync_rwlock_write_lock(&rw, GPCRACE_WAIT_SLEEP) == -ECANCELED, "kind %u: abort a waiting writer", kind);
    pthread_join(t, NULL);
}

/* ---------------------------------------------------------------- seqcount */

static struct sync_seqcount sq;
static int64_t sq_x, sq_y;
static uint32_t sq_stop, sq_bad;
static uint64_t sq_reads;

static void *seq_writer(void *arg)
{
    (void)arg;
    for (int64_t i = 1; i <= 200000; i++) {
        sync_seq_write_begin(&sq);
        __atomic_store_n(&sq_x, i, __ATOMIC_RELAXED);
        __atomic_store_n(&sq_y, -i, __ATOMIC_RELAXED);
        sync_seq_write_end(&sq);
    }
    ST(&sq_stop, 1u);
    return NULL;
}

static void *seq_reader(void *arg)
{
    (void)arg;
    while (!LD(&sq_stop)) {
        int64_t x, y;
        uint32_t s;
        do {
            s = sync_seq_read_begin(&sq);
            x = __atomic_load_n(&sq_x, __ATOMIC_RELAXED);
            y = __atomic_load_n(&sq_y, __ATOMIC_RELAXED);
        } while (sync_seq_read_retry(&sq, s));
        if (x != -y) INC(&sq_bad);
        __atomic_add_fetch(&sq_reads, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

static void test_seqcount(void)
{
    sync_seqcount_init(&sq);
    sq_x = sq_y = 0;
    sq_stop = sq_bad = 0;
    pthread_t w, r[2];
    for (int i = 0; i < 2; i++) pthread_create(&r[i], NULL, seq_reader, NULL);
    pthread_create(&w, NULL, seq_writer, NULL);
    pthread_join(w, NULL);
    for (int i = 0; i < 2; i++) pthread_join(r[i], NULL);
    CHECK(sq_bad == 0, "seqcount: %u torn reads", sq_bad);
    CHECK(sq.seq == 400000, "seqcount: count %u", sq.seq);
}

/* ---------------------------------------------------------------- SRCU */

static struct sync_srcu srcu;
static uint32_t srcu_inside, srcu_left;

static void *srcu_slow_reader(void *arg)
{
    (void)arg;
    int idx = sync_srcu_read_lock(&srcu, 0);
    ST(&srcu_inside, 1u);
    sleep_ms(40);
    ST(&srcu_left, 1u);
    sync_srcu_read_unlock(&srcu, 0, idx);
    return NULL;
}

/* publish/retire: readers must never see an object the updater retired after synchronize */
struct obj { uint64_t alive; };
static struct obj objs[2];
static struct obj *cur;
static uint32_t pr_stop, pr_bad;

static void *pr_reader(void *arg)
{
    int me = (int)(long)arg;
    while (!LD(&pr_stop)) {
        int idx = sync_srcu_read_lock(&srcu, me);
        struct obj *o = __atomic_load_n(&cur, __ATOMIC_ACQUIRE);
        for (int i = 0; i < 20; i++) sync_cpu_relax();
        if (!__atomic_load_n(&o->alive, __ATOMIC_RELAXED)) INC(&pr_bad);
        sync_srcu_read_unlock(&srcu, me, idx);
    }
    return NULL;
}

static void test_srcu(void)
{
    sync_srcu_init(&srcu, 2, NULL);
    CHECK(sync_srcu_synchronize(&srcu, GPCRACE_WAIT_SLEEP) == 0, "no reader: no wait");
    CHECK(sync_srcu_readers_active(&srcu) == 0, "no reader active");

    srcu_inside = srcu_left = 0;
    pthread_t t;
    pthread_create(&t, NULL, srcu_slow_reader, NULL);
    while (!LD(&srcu_inside)) sched_yield();
    CHECK(sync_srcu_readers_active(&srcu) == 1, "one reader active");
    CHECK(sync_srcu_synchronize(&srcu, GPCRACE_WAIT_NONE) == -EAGAIN, "policy NONE with a reader inside");
    int r = sync_srcu_synchronize(&srcu, GPCRACE_WAIT_SLEEP);
    CHECK(r == 1, "synchronize with a reader inside must wait, returned %d", r);
    CHECK(LD(&srcu_left) == 1, "synchronize returned while the reader was still inside");
    pthread_join(t, NULL);

    /* spin policy waits too */
    srcu_inside = srcu_left = 0;
    pthread_create(&t, NULL, srcu_slow_reader, NULL);
    while (!LD(&srcu_inside)) sched_yield();
    CHECK(sync_srcu_synchronize(&srcu, GPCRACE_WAIT_SPIN) == 1 && LD(&srcu_left) == 1, "spin synchronize");
    pthread_join(t, NULL);

    /* stress: 2 readers, an updater that swaps, synchronizes, retires */
    objs[0].alive = 1;
    objs[1].alive = 0;
    cur = &objs[0];
    pr_stop = pr_bad = 0;
    pthread_t rd[2];
    for (long i = 0; i < 2; i++) pthread_create(&rd[i], NULL, pr_reader, (void *)i);
    for (int i = 0; i < 3000; i++) {
        struct obj *old = cur, *next = old == &objs[0] ? &objs[1] : &objs[0];
        __atomic_store_n(&next->alive, 1, __ATOMIC_RELAXED);
        __atomic_store_n(&cur, next, __ATOMIC_RELEASE);
        CHECK(sync_srcu_synchronize(&srcu, (i & 1) ? GPCRACE_WAIT_SPIN : GPCRACE_WAIT_SLEEP) >= 0, "synchronize");
        __atomic_store_n(&old->alive, 0, __ATOMIC_RELAXED);
    }
    ST(&pr_stop, 1u);
    for (int i = 0; i < 2; i++) pthread_join(rd[i], NULL);
    CHECK(pr_bad == 0, "SRCU: %u reads of a retired object", pr_bad);

    /* abort releases a synchronize stuck behind a reader that never leaves */
    abort_word = 0;
    sync_srcu_init(&srcu, 1, &abort_word);
    int idx = sync_srcu_read_lock(&srcu, 0);
    pthread_create(&t, NULL, abort_later, NULL);
    CHECK(sync_srcu_synchronize(&srcu, GPCRACE_WAIT_SLEEP) == -ECANCELED, "abort synchronize");
    pthread_join(t, NULL);
    sync_srcu_read_unlock(&srcu, 0, idx);
}

/* ---------------------------------------------------------------- count-wait */

static struct sync_countwait cw;
static uint32_t cw_done;
static void *cw_ender(void *arg)
{
    (void)arg;
    sleep_ms(30);
    ST(&cw_done, 1u);
    sync_countwait_dec(&cw);
    return NULL;
}

static void test_countwait(void)
{
    sync_countwait_init(&cw, NULL);
    CHECK(sync_countwait_wait_zero(&cw, 0) == 0, "zero count: no wait");
    sync_countwait_inc(&cw);
    CHECK(sync_countwait_count(&cw) == 1, "count 1");
    CHECK(sync_countwait_wait_zero(&cw, 2000000) == -ETIMEDOUT, "timeout while an invalidation is active");
    cw_done = 0;
    pthread_t t;
    pthread_create(&t, NULL, cw_ender, NULL);
    CHECK(sync_countwait_wait_zero(&cw, 5000000000LL) == 0, "woken at zero");
    CHECK(LD(&cw_done) == 1, "returned before the count reached zero");
    pthread_join(t, NULL);
}

int main(void)
{
    test_futex();
    test_barriers();
    test_mutex();
    rw_stress(GPCRACE_RWLOCK_SPIN);
    rw_stress(GPCRACE_RWLOCK_SLEEPING);
    rw_fairness_and_policies(GPCRACE_RWLOCK_SPIN);
    rw_fairness_and_policies(GPCRACE_RWLOCK_SLEEPING);
    test_seqcount();
    test_srcu();
    test_countwait();
    printf("test_sync: futex, barriers, mutex, rwlock spin+sleeping, seqcount, srcu, count-wait ok\n");
    return 0;
}
