/*
 * test_pressure.c - the memory-pressure run on this machine's memory cgroup (v1 with
 * oom_kill_disable, else cgroup2's memory.high): the SRCU reaper stalls and the watchdog breaks
 * it cleanly (no stale access), rwlock's reaper does not stall, defer frees at once but leaves
 * stale accesses, eagain gives the range up. Without root or a memory cgroup it says so and
 * passes (the Java test asserts that it ran where it can).
 */
#define _GNU_SOURCE
#include "check.h"
#include "gpcrace.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[200];

/* This process's memory cgroup directory (v1 memory hierarchy), or 0. */
static int own_memcg_v1(char *out, size_t len)
{
    FILE *f = fopen("/proc/self/cgroup", "r");
    if (!f) return 0;
    char line[512];
    int found = 0;
    while (fgets(line, sizeof(line), f)) {
        char *p = strstr(line, ":memory:");
        if (!p) continue;
        p += 8;
        p[strcspn(p, "\n")] = 0;
        snprintf(out, len, "/sys/fs/cgroup/memory%s", strcmp(p, "/") ? p : "");
        found = access(out, W_OK) == 0;
    }
    fclose(f);
    return found;
}

static void path(char *dst, const char *file) { snprintf(dst, GPCRACE_PRESSURE_PATH, "%.199s/%.40s", dir, file); }

static struct gpcrace_pressure_config base(const char *protocol, uint32_t policy)
{
    struct gpcrace_pressure_config c;
    memset(&c, 0, sizeof(c));
    c.protocol = gpcrace_gpc_protocol_index(protocol);
    c.lock_kind = GPCRACE_RWLOCK_SPIN;
    c.policy = policy;
    c.readers = 2;
    c.rounds = 4;
    c.alloc_pages = 256;
    c.victim_bytes = 16u << 20;
    c.headroom_bytes = 128 * 4096;
    c.stall_ns = 20000000;
    c.retry_gap_ns = 1000000;
    c.max_retries = 3;
    c.watchdog_ns = 10000000000LL;
    path(c.procs_path, "cgroup.procs");
    path(c.usage_path, "memory.usage_in_bytes");
    path(c.limit_path, "memory.limit_in_bytes");
    path(c.oom_path, "memory.oom_control");
    for (int i = 0; i < GPCRACE_GPC_MAX_ACTORS; i++) c.cpus[i] = -1;
    return c;
}

struct totals { uint32_t rounds, waited, stall, broken, gave_up, deferred; uint64_t stale, accesses, max_free_ns, released; };

static struct totals run(const char *name, struct gpcrace_pressure_config *c, char *chain)
{
    struct gpcrace_pressure_round out[16];
    char err[256];
    int64_t n = gpcrace_gpc_pressure_run(c, out, chain, GPCRACE_PRESSURE_CHAIN_BYTES, err, sizeof(err));
    CHECK(n == c->rounds, "%s: %lld rounds: %s", name, (long long)n, err);
    struct totals t = {0};
    for (int64_t i = 0; i < n; i++) {
        struct gpcrace_pressure_round *r = &out[i];
        CHECK(r->round == (uint64_t)i + 1, "%s: round numbering", name);
        CHECK(r->limit_bytes > 0 && r->usage_before > 0, "%s: the child read its cgroup's usage and limit", name);
        CHECK(!(r->flags & GPCRACE_PRESSURE_WAITED) || r->usage_before + 4 * 65536 * 4096ull >= r->limit_bytes,
              "%s: a reader waited with the cgroup near its limit", name);
        t.released += r->released_bytes;
        t.rounds++;
        t.waited += !!(r->flags & GPCRACE_PRESSURE_WAITED);
        t.stall += !!(r->flags & GPCRACE_PRESSURE_STALL);
        t.broken += !!(r->flags & GPCRACE_PRESSURE_BROKEN);
        t.gave_up += !!(r->flags & GPCRACE_PRESSURE_GAVE_UP);
        t.deferred += !!(r->flags & GPCRACE_PRESSURE_DEFERRED);
        t.stale += r->stale;
        t.accesses += r->accesses;
        if (r->free_ns > t.max_free_ns) t.max_free_ns = r->free_ns;
        if (getenv("PR_DEBUG")) printf("    round %llu: usage %llu limit %llu released %llu free %.2f ms wait %.2f ms\n", (unsigned long long)r->round, (unsigned long long)r->usage_before, (unsigned long long)r->limit_bytes, (unsigned long long)r->released_bytes, r->free_ns / 1e6, r->wait_ns / 1e6);
    }
    printf("  %s: %u rounds, %u with a reader waiting for memory, %u stalls, %u broken, %u given up, %u deferred,"
           " %llu stale of %llu accesses, slowest free %.2f ms\n", name, t.rounds, t.waited, t.stall, t.broken, t.gave_up,
           t.deferred, (unsigned long long)t.stale, (unsigned long long)t.accesses, t.max_free_ns / 1e6);
    return t;
}

int main(void)
{
    char own[160], chain[GPCRACE_PRESSURE_CHAIN_BYTES];
    struct gpcrace_pressure_config c = base("seqcount-srcu", GPCRACE_WAIT_SLEEP);
    c.readers = 9;
    CHECK(gpcrace_gpc_pressure_run(&c, NULL, NULL, 0, chain, sizeof(chain)) == -22, "readers 9 refused");
    CHECK(strstr(chain, "readers") != NULL, "the reason names readers: %s", chain);
    if (geteuid() != 0 || !own_memcg_v1(own, sizeof(own))) {
        printf("test_pressure: skipped: needs root and a writable cgroup v1 memory controller (the Java test covers cgroup2)\n");
        return 0;
    }
    snprintf(dir, sizeof(dir), "%.150s/gpcrace-test-pressure-%d", own, (int)getpid());
    CHECK(mkdir(dir, 0755) == 0, "mkdir %s", dir);

    c = base("seqcount-srcu", GPCRACE_WAIT_SLEEP);
    struct totals t = run("seqcount-srcu sleep", &c, chain);
    CHECK(t.waited > 0, "the readers waited for memory");
    CHECK(t.stall == t.waited && t.broken == t.stall, "every round with a reader waiting for memory stalled and was broken");
    CHECK(t.stale == 0, "breaking by lending memory makes no access stale");
    CHECK(strstr(chain, "inside its read section") && strstr(chain, "memory cgroup"), "the chain: %s", chain);
    printf("  chain: %s\n", chain);

    c = base("rwlock", GPCRACE_WAIT_SLEEP);
    t = run("rwlock sleep", &c, chain);
    CHECK(t.waited > 0 && t.stall == 0 && t.stale == 0, "rwlock: pressure, no stall, no stale access");
    CHECK(t.released >= c.victim_bytes * t.rounds / 2, "rwlock: the zaps released the victim range (cgroup usage)");

    c = base("seqcount-srcu", GPCRACE_WAIT_DEFER);
    t = run("seqcount-srcu defer", &c, chain);
    CHECK(t.waited > 0 && t.stall == 0 && t.deferred == t.rounds, "defer: pressure, no stall, every start deferred");
    CHECK(t.stale > 0, "defer: the readers inside their read sections use the zapped page after the start returned");

    c = base("seqcount-srcu", GPCRACE_WAIT_NONE);
    t = run("seqcount-srcu eagain", &c, chain);
    CHECK(t.waited > 0 && t.gave_up == t.waited && t.stall == 0 && t.stale == 0, "eagain gives the range up when readers wait");

    CHECK(rmdir(dir) == 0, "rmdir %s", dir);
    printf("test_pressure: ok\n");
    return 0;
}
