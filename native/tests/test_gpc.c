/*
 * The round runner end to end, in C: rwlock never lets a reader use an invalidated generation
 * after the notifier returned (S == T for every snapshotted generation) while unlocked does
 * within a bound (the harness catches it); pinned + remap is stale every round; unmap rounds on
 * file-backed memory make plain seqcount use a torn-down khva while seqcount-srcu-unmap-only
 * never does (but stays stale); two invalidators make refreshes retry; a storm of unrelated
 * invalidations makes mainline's refresh livelock and not the range-aware wait; guest mode kicks
 * readers out and waits for them, and without the wait they go stale; the deferral goes stale;
 * the watchdog ends a round that never finishes; invalid configurations are refused. The
 * classification itself is Java's (org.gpcrace.protocol.Oracle); here the raw identities.
 */
#define _GNU_SOURCE
#include "gpcrace.h"
#include "check.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define BATCH 2000u

static int ncpus;

static struct gpcrace_gpc_config base_config(const char *protocol, void *guest, uint64_t bytes)
{
    struct gpcrace_gpc_config c;
    memset(&c, 0, sizeof(c));
    c.protocol = gpcrace_gpc_protocol_index(protocol);
    CHECK(c.protocol >= 0, "protocol %s not registered", protocol);
    c.lock_kind = GPCRACE_RWLOCK_SPIN;
    c.source = GPCRACE_SRC_DONTNEED;
    c.backing = GPCRACE_BACKING_ANON;
    c.readers = 1;
    c.pages = 1;
    c.stride = 64;
    c.access = GPCRACE_ACCESS_PVCLOCK;
    c.nonblock_policy = GPCRACE_WAIT_SLEEP;
    c.notifier = GPCRACE_NOTIFIER_HOOKS;
    c.invalidator = GPCRACE_INVALIDATOR_NATIVE;
    c.refresh_retry_bound = 1000;
    c.memfd = -1;
    c.invalidations = 1;
    c.invalidators = 1;
    c.guest_base = (uint64_t)(uintptr_t)guest;
    c.guest_bytes = bytes;
    c.delay_min_ns = 0;
    c.delay_max_ns = 3000;
    c.seed = 42;
    c.watchdog_ns = 20000000000LL;
    for (int a = 0; a < GPCRACE_GPC_MAX_ACTORS; a++) c.cpus[a] = -1;
    if (ncpus >= 2) { /* invalidator and reader on distinct CPUs */
        c.cpus[0] = 0;
        c.cpus[1] = 1;
    }
    return c;
}

struct totals {
    uint64_t rounds, invalidated, stale_rounds, visible_rounds, bad, unmap_use, retries, livelock, kicks, eagain,
        unmap_rounds, deferred;
};

static struct totals judge_raw(const uint8_t *buf, uint64_t rounds, uint32_t readers)
{
    struct totals t = {0};
    uint64_t stride = gpcrace_gpc_round_bytes(readers);
    for (uint64_t i = 0; i < rounds; i++) {
        const struct gpcrace_gpc_round *rec = (const void *)(buf + i * stride);
        const struct gpcrace_gpc_reader_round *rr = (const void *)(rec + 1);
        t.rounds++;
        t.retries += rec->refresh_retries;
        t.kicks += rec->kicks;
        if (rec->flags & GPCRACE_ROUND_LIVELOCK) t.livelock++;
        if (rec->flags & GPCRACE_ROUND_EAGAIN) t.eagain++;
        if (rec->flags & GPCRACE_ROUND_UNMAP) t.unmap_rounds++;
        if (rec->flags & GPCRACE_ROUND_DEFERRED) t.deferred++;
        if (!(rec->flags & GPCRACE_ROUND_INVALIDATED)) continue;
        t.invalidated++;
        int stale = 0, visible = 0;
        for (uint32_t r = 0; r < readers; r++) {
            t.unmap_use += rr[r].unmap_use;
            if (rr[r].tally_other) t.bad++;
            for (int d = 0; d < GPCRACE_GPC_GENS; d++) {
                if (!(rec->snap_mask & (1u << d))) continue;
                if (rr[r].tally[d] < rr[r].snapshot[d]) t.bad++;
                uint64_t s = rr[r].tally[d] - rr[r].snapshot[d];
                if (rr[r].counter_end[d] > s) t.bad++; /* visible beyond stale: a harness bug */
                if (s) stale = 1;
                if (rr[r].counter_end[d]) visible = 1;
            }
            uint32_t f = rec->final_gen;
            if (f < GPCRACE_GPC_GENS && !(rec->snap_mask & (1u << f)) && rr[r].counter_end[f] != rr[r].tally[f]) t.bad++;
        }
        t.stale_rounds += stale;
        t.visible_rounds += visible;
    }
    return t;
}

static struct totals run_rounds(struct gpcrace_gpc_config *c, uint64_t rounds, int *status)
{
    struct gpcrace_gpc_run *run;
    char err[256];
    int r = gpcrace_gpc_create(c, &run, err, sizeof(err));
    CHECK(r == 0, "create: %s", err);
    uint8_t *buf = calloc(rounds, gpcrace_gpc_round_bytes(c->readers));
    CHECK(buf, "calloc");
    CHECK(gpcrace_gpc_arm_batch(run, rounds, buf, GPCRACE_BATCH_RACE) == 0, "arm");
    *status = gpcrace_gpc_run_batch(run);
    struct totals t = judge_raw(buf, gpcrace_gpc_batch_done(run), c->readers);
    if (*status < 0) fprintf(stderr, "batch error: %s\n", gpcrace_gpc_last_error(run));
    gpcrace_gpc_destroy(run);
    free(buf);
    return t;
}

/* Runs batches until pred holds or `tries` batches are spent; returns the sum. */
static struct totals until(struct gpcrace_gpc_config *c, uint64_t rounds, int tries, int (*pred)(const struct totals *))
{
    struct totals sum = {0};
    int status;
    for (int i = 0; i < tries; i++) {
        c->seed = 1000u + (uint64_t)i;
        struct totals t = run_rounds(c, rounds, &status);
        CHECK(status == GPCRACE_GPC_DONE, "status %d", status);
        sum.rounds += t.rounds;
        sum.invalidated += t.invalidated;
        sum.stale_rounds += t.stale_rounds;
        sum.visible_rounds += t.visible_rounds;
        sum.bad += t.bad;
        sum.unmap_use += t.unmap_use;
        sum.retries += t.retries;
        sum.livelock += t.livelock;
        sum.kicks += t.kicks;
        sum.eagain += t.eagain;
        sum.unmap_rounds += t.unmap_rounds;
        sum.deferred += t.deferred;
        if (pred(&sum)) break;
    }
    return sum;
}

static int stale_seen(const struct totals *t) { return t->stale_rounds > 0; }
static int unmap_use_seen(const struct totals *t) { return t->unmap_use > 0 && t->stale_rounds > 0; }
static int retries_seen(const struct totals *t) { return t->retries > 0; }
static int livelock_seen(const struct totals *t) { return t->livelock > 0; }
static int never(const struct totals *t) { (void)t; return 0; }

struct memfd_guest { int fd; void *p; uint64_t len; };

static struct memfd_guest memfd_guest(uint64_t len)
{
    struct memfd_guest m;
    m.fd = memfd_create("gpcrace-test", MFD_CLOEXEC);
    CHECK(m.fd >= 0 && ftruncate(m.fd, (off_t)len) == 0, "memfd");
    m.p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, m.fd, 0);
    CHECK(m.p != MAP_FAILED, "mmap memfd");
    m.len = len;
    return m;
}

static void memfd_release(struct memfd_guest *m)
{
    munmap(m->p, m->len);
    close(m->fd);
}

static struct gpcrace_gpc_config shmem_config(const char *protocol, const struct memfd_guest *m)
{
    struct gpcrace_gpc_config c = base_config(protocol, m->p, m->len);
    c.backing = GPCRACE_BACKING_SHMEM;
    c.memfd = m->fd;
    return c;
}

int main(void)
{
    ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
    size_t len = 1u << 20;
    void *guest = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(guest != MAP_FAILED, "mmap");
    int status;

    /* rwlock, three invalidations from two invalidators: no reader ever uses an invalidated
     * generation after the notifier returned, and the refreshes had to retry */
    struct gpcrace_gpc_config c = base_config("rwlock", guest, len);
    c.invalidations = 3;
    c.invalidators = 2;
    struct totals t = until(&c, BATCH, 3, retries_seen);
    CHECK(t.bad == 0 && t.stale_rounds == 0, "rwlock x3: bad %llu stale %llu", (unsigned long long)t.bad, (unsigned long long)t.stale_rounds);
    CHECK(t.retries > 0, "rwlock x3: no refresh retried in %llu rounds", (unsigned long long)t.rounds);

    /* unlocked: the same harness sees stale accesses */
    c = base_config("unlocked", guest, len);
    t = until(&c, BATCH, 10, stale_seen);
    CHECK(t.bad == 0 && t.stale_rounds > 0, "unlocked: bad %llu, no stale access in %llu rounds", (unsigned long long)t.bad,
          (unsigned long long)t.rounds);

    /* pinned + remap of a memfd page: every round stale, and every stale access visible in
     * someone else's data (the frame the pin holds was handed to a new owner) */
    struct memfd_guest m = memfd_guest(2 * 4096);
    c = shmem_config("pinned", &m);
    c.source = GPCRACE_SRC_REMAP;
    c.remap_offset = 4096;
    c.stride = 2000;
    c.delay_max_ns = 0;
    t = run_rounds(&c, 300, &status);
    CHECK(status == GPCRACE_GPC_DONE && t.bad == 0, "pinned: status %d bad %llu", status, (unsigned long long)t.bad);
    CHECK(t.stale_rounds == 300 && t.visible_rounds > 0, "pinned+remap: stale in %llu, visible in %llu of 300 rounds",
          (unsigned long long)t.stale_rounds, (unsigned long long)t.visible_rounds);
    memfd_release(&m);

    /* unmap rounds on shmem: plain seqcount's gpc_unmap tears the khva down under a reader */
    m = memfd_guest(4096);
    c = shmem_config("seqcount", &m);
    c.unmap_every = 1;
    c.access_ns = 20000; /* an access in flight across the teardown (an mmap and its shootdown: microseconds) */
    c.stride = 8;
    c.delay_max_ns = 20000;
    c.readers = ncpus >= 3 ? 2 : 1;
    if (ncpus >= 3) c.cpus[2] = 2;
    t = until(&c, 500, 20, unmap_use_seen);
    CHECK(t.bad == 0 && t.unmap_rounds == t.rounds, "seqcount unmap: bad %llu", (unsigned long long)t.bad);
    CHECK(t.unmap_use > 0, "seqcount unmap: no access through a torn-down khva in %llu rounds", (unsigned long long)t.rounds);
    /* ... while the proposal's gpc_unmap waits for its SRCU readers: never (same rounds) */
    c = shmem_config("seqcount-srcu-unmap-only", &m);
    c.unmap_every = 1;
    c.access_ns = 20000;
    c.stride = 8;
    c.delay_max_ns = 20000;
    c.readers = ncpus >= 3 ? 2 : 1;
    if (ncpus >= 3) c.cpus[2] = 2;
    t = until(&c, 500, 4, never);
    CHECK(t.bad == 0 && t.unmap_use == 0 && t.stale_rounds == 0, "unmap-only, unmap rounds: bad %llu unmap-use %llu stale %llu",
          (unsigned long long)t.bad, (unsigned long long)t.unmap_use, (unsigned long long)t.stale_rounds);
    /* ... but its notifier does not drain: zap rounds are stale */
    c.unmap_every = 0;
    t = until(&c, 500, 20, stale_seen);
    CHECK(t.bad == 0 && t.stale_rounds > 0 && t.unmap_use == 0, "unmap-only, zap rounds: bad %llu stale %llu unmap-use %llu",
          (unsigned long long)t.bad, (unsigned long long)t.stale_rounds, (unsigned long long)t.unmap_use);
    memfd_release(&m);

    /* a storm of invalidations of an unrelated range: mainline's refresh retries past the bound */
    c = base_config("rwlock", guest, len);
    c.storm_pages = 512;
    c.storm_gap_ns = 200;
    c.refresh_retry_bound = 20;
    if (ncpus >= 3) c.cpus[c.readers + 3] = 2;
    t = until(&c, 300, 10, livelock_seen);
    CHECK(t.bad == 0 && t.stale_rounds == 0 && t.livelock > 0, "storm retry: bad %llu stale %llu livelock %llu retries %llu",
          (unsigned long long)t.bad, (unsigned long long)t.stale_rounds, (unsigned long long)t.livelock,
          (unsigned long long)t.retries);
    /* ... the range-aware wait does not retry for it */
    c.refresh_mode = GPCRACE_REFRESH_WAIT;
    t = until(&c, 300, 1, never);
    CHECK(t.bad == 0 && t.stale_rounds == 0 && t.livelock == 0, "storm wait: bad %llu stale %llu livelock %llu",
          (unsigned long long)t.bad, (unsigned long long)t.stale_rounds, (unsigned long long)t.livelock);

    /* guest mode: readers kicked out and waited for: clean; without the wait: stale */
    c = base_config("rwlock", guest, len);
    c.reader_mode = GPCRACE_READER_GUEST;
    c.stride = 200;
    t = until(&c, BATCH, 1, never);
    CHECK(t.bad == 0 && t.stale_rounds == 0 && t.kicks > 0, "guest: bad %llu stale %llu kicks %llu", (unsigned long long)t.bad,
          (unsigned long long)t.stale_rounds, (unsigned long long)t.kicks);
    c.nonblock = 1;
    c.nonblock_policy = GPCRACE_WAIT_NOWAIT;
    t = until(&c, BATCH, 10, stale_seen);
    CHECK(t.bad == 0 && t.stale_rounds > 0, "guest no-wait: bad %llu, no stale access in %llu rounds", (unsigned long long)t.bad,
          (unsigned long long)t.rounds);
    c.nonblock_policy = GPCRACE_WAIT_NONE;
    t = until(&c, BATCH, 1, never);
    CHECK(t.bad == 0 && t.stale_rounds == 0 && t.eagain > 0, "guest eagain: bad %llu stale %llu eagain %llu",
          (unsigned long long)t.bad, (unsigned long long)t.stale_rounds, (unsigned long long)t.eagain);

    /* defer: the start only marks the cache invalid, the zap proceeds: stale */
    c = base_config("rwlock", guest, len);
    c.nonblock = 1;
    c.nonblock_policy = GPCRACE_WAIT_DEFER;
    c.access_ns = 5000;
    c.stride = 16;
    c.delay_max_ns = 20000;
    t = until(&c, 500, 10, stale_seen);
    CHECK(t.bad == 0 && t.stale_rounds > 0 && t.deferred == t.rounds, "defer: bad %llu stale %llu deferred %llu",
          (unsigned long long)t.bad, (unsigned long long)t.stale_rounds, (unsigned long long)t.deferred);

    /* the watchdog: reader 0 stalls inside its read section in round 5, the writer waits on it */
    c = base_config("rwlock", guest, len);
    c.inject_hang_round = 5;
    c.watchdog_ns = 300000000LL;
    t = run_rounds(&c, 100, &status);
    CHECK(status == GPCRACE_GPC_HUNG && t.rounds == 4, "watchdog: status %d after %llu rounds", status, (unsigned long long)t.rounds);

    /* refused configurations name the problem */
    struct gpcrace_gpc_run *run;
    char err[256];
    c = base_config("rwlock", guest, len);
    c.source = GPCRACE_SRC_REMOVE;
    CHECK(gpcrace_gpc_create(&c, &run, err, sizeof(err)) == -EINVAL && strstr(err, "remove"), "remove on anon: %s", err);
    c = base_config("pinned", guest, len);
    CHECK(gpcrace_gpc_create(&c, &run, err, sizeof(err)) == -EINVAL && strstr(err, "pinned"), "pinned on anon: %s", err);
    c = base_config("rwlock", guest, len);
    c.readers = 65;
    CHECK(gpcrace_gpc_create(&c, &run, err, sizeof(err)) == -EINVAL, "65 readers");
    c = base_config("rwlock", guest, len);
    c.invalidations = 4;
    CHECK(gpcrace_gpc_create(&c, &run, err, sizeof(err)) == -EINVAL && strstr(err, "invalidations"), "4 invalidations: %s", err);
    c = base_config("rwlock", guest, len);
    c.nonblock = 1;
    c.nonblock_policy = GPCRACE_WAIT_NOWAIT;
    CHECK(gpcrace_gpc_create(&c, &run, err, sizeof(err)) == -EINVAL && strstr(err, "guest"), "no-wait on host readers: %s", err);
    CHECK(gpcrace_gpc_protocol_index("no-such") == -1 && gpcrace_gpc_protocol_count() == 8, "protocol table");
    CHECK(strcmp(gpcrace_gpc_source_name(GPCRACE_SRC_PUNCH_HOLE), "punch-hole") == 0, "source names");

    munmap(guest, len);
    printf("test_gpc: rwlock x3 clean with retries, unlocked caught, pinned stale, seqcount unmap-use vs unmap-only none, "
           "storm livelock vs wait, guest kicks/no-wait/eagain, defer stale, watchdog, refusals ok\n");
    return 0;
}
