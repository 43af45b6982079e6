/*
 * The round runner end to end, in C: rwlock keeps every reader's identity T_inv == S (no
 * stale access) while unlocked reaches T_inv > S within a bound (the harness catches it), pinned
 * + remap is stale every round, the watchdog ends a round that never finishes, calibration
 * invalidates nothing, and invalid configurations are refused. The classification itself is
 * Java's (org.gpcrace.oracle.Oracle); here only the raw identities are checked.
 */
#define _GNU_SOURCE
#include "gpcrace.h"
#include "check.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define BATCH 2000u

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
    c.guest_base = (uint64_t)(uintptr_t)guest;
    c.guest_bytes = bytes;
    c.delay_min_ns = 0;
    c.delay_max_ns = 3000;
    c.seed = 42;
    c.watchdog_ns = 20000000000LL;
    for (int a = 0; a < GPCRACE_GPC_MAX_ACTORS; a++) c.cpus[a] = -1;
    if (sysconf(_SC_NPROCESSORS_ONLN) >= 2) { /* invalidator and reader on distinct CPUs */
        c.cpus[0] = 0;
        c.cpus[1] = 1;
    }
    return c;
}

struct totals { uint64_t rounds, invalidated, stale_rounds, stale_every, bad; };

static struct totals judge_raw(const uint8_t *buf, uint64_t rounds, uint32_t readers)
{
    struct totals t = {0};
    uint64_t stride = gpcrace_gpc_round_bytes(readers);
    for (uint64_t i = 0; i < rounds; i++) {
        const struct gpcrace_gpc_round *rec = (const void *)(buf + i * stride);
        const struct gpcrace_gpc_reader_round *rr = (const void *)(rec + 1);
        t.rounds++;
        if (!(rec->flags & GPCRACE_ROUND_INVALIDATED)) continue;
        t.invalidated++;
        int stale = 0;
        for (uint32_t r = 0; r < readers; r++) {
            if (rr[r].tally_inv < rr[r].snapshot || rr[r].counter_new < rr[r].tally_next || rr[r].tally_other) t.bad++;
            if (rr[r].tally_inv > rr[r].snapshot) stale = 1;
        }
        t.stale_rounds += stale;
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

int main(void)
{
    size_t len = 1u << 20;
    void *guest = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(guest != MAP_FAILED, "mmap");
    int status;

    /* rwlock: no reader ever uses the invalidated generation after the notifier returned */
    struct gpcrace_gpc_config c = base_config("rwlock", guest, len);
    struct totals t = run_rounds(&c, BATCH, &status);
    CHECK(status == GPCRACE_GPC_DONE && t.rounds == BATCH, "rwlock: status %d rounds %llu", status, (unsigned long long)t.rounds);
    CHECK(t.invalidated == BATCH && t.bad == 0 && t.stale_rounds == 0, "rwlock: invalidated %llu bad %llu stale %llu",
          (unsigned long long)t.invalidated, (unsigned long long)t.bad, (unsigned long long)t.stale_rounds);

    /* unlocked: the same harness sees stale accesses (up to 10 batches) */
    c = base_config("unlocked", guest, len);
    uint64_t stale = 0;
    for (int i = 0; i < 10 && stale == 0; i++) {
        c.seed = 1000u + (uint64_t)i;
        t = run_rounds(&c, BATCH, &status);
        CHECK(status == GPCRACE_GPC_DONE && t.bad == 0, "unlocked: status %d bad %llu", status, (unsigned long long)t.bad);
        stale += t.stale_rounds;
    }
    CHECK(stale > 0, "unlocked: no stale access in %d rounds: the harness cannot see the race", 10 * BATCH);

    /* pinned + remap of a memfd page: every round stale (the alias keeps the old frame) */
    int memfd = memfd_create("gpcrace-test", MFD_CLOEXEC);
    CHECK(memfd >= 0 && ftruncate(memfd, 2 * 4096) == 0, "memfd");
    void *shm = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
    CHECK(shm != MAP_FAILED, "mmap memfd");
    c = base_config("pinned", shm, 2 * 4096);
    c.backing = GPCRACE_BACKING_SHMEM;
    c.source = GPCRACE_SRC_REMAP;
    c.memfd = memfd;
    c.remap_offset = 4096;
    c.stride = 2000;
    c.delay_max_ns = 0;
    t = run_rounds(&c, 300, &status);
    CHECK(status == GPCRACE_GPC_DONE && t.bad == 0, "pinned: status %d bad %llu", status, (unsigned long long)t.bad);
    CHECK(t.stale_rounds == 300, "pinned+remap: stale in %llu of 300 rounds", (unsigned long long)t.stale_rounds);
    munmap(shm, 2 * 4096);
    close(memfd);

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
    CHECK(gpcrace_gpc_protocol_index("no-such") == -1 && gpcrace_gpc_protocol_count() == 8, "protocol table");
    CHECK(strcmp(gpcrace_gpc_source_name(GPCRACE_SRC_PUNCH_HOLE), "punch-hole") == 0, "source names");

    munmap(guest, len);
    printf("test_gpc: rwlock clean, unlocked caught, pinned+remap stale every round, watchdog, refusals ok\n");
    return 0;
}
