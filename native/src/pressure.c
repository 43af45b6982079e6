/*
 * pressure.c - the child of the memory-pressure run: the OOM reaper's forward progress when the
 * readers of the cache wait for memory (the PREEMPT_RT / GPC thread, May 2026: does the OOM path
 * wait on something that waits for memory? synchronize_srcu waits for SRCU readers, and an SRCU
 * read section may sleep, so a reader can be faulting memory in inside it).
 *
 * The child joins the memory cgroup, maps everything, sets the limit just above its usage, and
 * runs rounds:
 *   1. the reaper repopulates the victim range and refreshes the cache (its first page), so the
 *      round starts with a valid translation and the cgroup near its limit;
 *   2. the readers use the cache again and again, each use faulting in alloc_pages fresh pages
 *      (inside the read section for the SRCU protocols, after it for the others) and then
 *      releasing them; together they need more than the headroom, so one waits in the kernel;
 *   3. once a reader waits for memory, the reaper (mm/oom_kill.c: oom_reap_task ->
 *      __oom_reap_task_mm -> mmu_notifier_invalidate_range_start_nonblock, unmap_page_range,
 *      mmu_notifier_invalidate_range_end) runs the non-blockable start over the victim range with
 *      the policy, zaps it with MADV_DONTNEED, runs the end; eagain: retry after a gap, give up
 *      after max_retries (MAX_OOM_REAP_RETRIES and the HZ/10 sleep, scaled down);
 *   4. the readers stop, release their pages, the defer worker finishes, the round is recorded.
 * The access a reader makes is a counter increment of the generation it checked (the last store
 * of the use, as race.c's access); stale = increments of the invalidated generation after the
 * reaper's start returned (the snapshot S), exactly as the race engine's T - S.
 *
 * No allocation from the C library in the child (it was forked from a multithreaded JVM): its
 * memory is mmap'd, its output goes to the shared block.
 */
#define _GNU_SOURCE
#include "pressure.h"
#include "gpc.h"
#include "clock.h"
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PR_PAGE 4096ull
#define PR_GEN_SLOTS 64u              /* access counters by generation tag */
#define PR_PRESSURE_NS 1000000LL      /* a reader touching its pages for this long is waiting for memory */
#define PR_PRESSURE_WAIT_NS 200000000LL /* the reaper starts anyway when no reader waits by then */
#define PR_STACK_PREFAULT (128u * 1024u)

struct pr_run;
struct pr_reader {
    struct pr_run *run;
    int index;
    int cpu;
    uint8_t *buf;
    pthread_t thread;
};

struct pr_run {
    const struct gpcrace_pressure_config *cfg;
    struct pr_shared *sh;
    const struct gpc_ops *ops;
    int alloc_inside;                  /* the readers fault memory in inside the read section */
    uint32_t abort;                    /* teardown only: every wait returns */
    uint32_t round_seq;                /* futex: a new round (or quit) */
    uint32_t round_over;               /* readers stop using the cache */
    uint32_t parked;                   /* futex: readers done with the round */
    uint32_t quit;
    uint32_t pad;
    uint64_t acc[PR_GEN_SLOTS];        /* accesses per generation tag */
    uint64_t acc_total;
    uint8_t *victim;
    /* the cgroup's files, opened (and read once) before the limit is set: at the limit, an open
     * (struct file is charged to the cgroup) or a first read (its seq_file buffer) fails with ENOMEM */
    int usage_fd, limit_fd, oom_fd;
    struct pr_reader readers[PR_MAX_READERS];
    pthread_t worker;
    struct gpc g;
};

static int pr_fail(struct pr_shared *sh, int err, const char *what)
{
    snprintf(sh->err, sizeof(sh->err), "%s: %s", what, strerror(err));
    return 3;
}

static int64_t fd_read_u64(int fd)
{
    char b[64];
    ssize_t n = pread(fd, b, sizeof(b) - 1, 0);
    if (n <= 0) return n < 0 ? -errno : -EIO;
    b[n] = 0;
    if (strncmp(b, "max", 3) == 0) return INT64_MAX;
    uint64_t v = 0;
    for (ssize_t i = 0; i < n && b[i] >= '0' && b[i] <= '9'; i++) v = v * 10 + (uint64_t)(b[i] - '0');
    return (int64_t)v;
}

static int fd_write_u64(int fd, uint64_t v)
{
    char b[32];
    int n = snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
    ssize_t w = pwrite(fd, b, (size_t)n, 0);
    return w == n ? 0 : (w < 0 ? -errno : -EIO);
}

int64_t pressure_read_u64(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    int64_t v = fd_read_u64(fd);
    close(fd);
    return v;
}

int pressure_write_u64(const char *path, uint64_t v)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    int r = fd_write_u64(fd, v);
    close(fd);
    return r;
}

/* Stack pages a thread will use are touched before the limit is set: a stack fault under the
 * limit would make a thread wait for memory that is not part of the experiment. */
static __attribute__((noinline)) void prefault_stack(void)
{
    volatile uint8_t pad[PR_STACK_PREFAULT];
    for (uint32_t i = 0; i < PR_STACK_PREFAULT; i += 4096) pad[i] = 0;
    pad[PR_STACK_PREFAULT - 1] = 0;
    __asm__ volatile("" : : "r"(pad) : "memory");
}

static void pin(int cpu)
{
    if (cpu < 0) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof(set), &set);
}

/* The reader's fresh pages: one store per page, each a real page fault charged to the cgroup
 * (a user fault, so past the limit it waits in the memcg OOM path instead of failing). */
static void fault_in(struct pr_run *run, struct pr_reader *rd)
{
    struct pr_reader_state *st = &run->sh->readers[rd->index];
    G_STORE(&st->fault_t0, mono_ns());
    G_STORE(&st->faulting, 1u);
    for (uint32_t p = 0; p < run->cfg->alloc_pages; p++) {
        G_STORE_RLX(&st->page, p + 1);
        ((volatile uint8_t *)rd->buf)[(uint64_t)p * PR_PAGE] = 1;
    }
    G_STORE(&st->faulting, 0u);
}

/* One use of the cache, as a KVM reader: read side, kvm_gpc_check (refresh outside the read
 * side while invalid), [fault memory in], the access through khva, read side left, [fault in]. */
static int use_cache(struct pr_run *run, struct pr_reader *rd)
{
    struct gpc *g = &run->g;
    struct pr_reader_state *st = &run->sh->readers[rd->index];
    struct gpc_view v = {0};
    for (;;) {
        if (run->ops->read_begin(g, rd->index, &v) < 0) return -ECANCELED;
        if (run->ops->check(g, &v)) break;
        run->ops->read_end(g, rd->index, &v);
        struct gpc_stats stats = {0};
        int r = gpc_refresh(g, &stats);
        if (r == -ECANCELED) return r;
        if (r < 0) { /* the fault-in of the cached page failed under the limit: try again shortly */
            struct timespec ts = {0, 50000};
            nanosleep(&ts, NULL);
        }
        if (G_LOAD(&run->round_over)) return 0;
    }
    G_STORE(&st->in_section, 1u);
    if (run->alloc_inside) fault_in(run, rd);
    /* the access: a store through khva, then the generation's counter as the last store */
    ((volatile uint64_t *)v.khva)[8 * (uint32_t)rd->index] = v.gen;
    __atomic_add_fetch(&run->acc[v.gen % PR_GEN_SLOTS], 1, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&run->acc_total, 1, __ATOMIC_RELAXED);
    run->ops->read_end(g, rd->index, &v);
    G_STORE(&st->in_section, 0u);
    if (!run->alloc_inside) fault_in(run, rd);
    madvise(rd->buf, (size_t)run->cfg->alloc_pages * PR_PAGE, MADV_DONTNEED);
    return 0;
}

static void *reader_main(void *arg)
{
    struct pr_reader *rd = arg;
    struct pr_run *run = rd->run;
    pin(rd->cpu);
    prefault_stack();
    G_STORE(&run->sh->readers[rd->index].tid, (int32_t)syscall(SYS_gettid));
    uint32_t seen = 0;
    for (;;) {
        uint32_t s;
        while ((s = G_LOAD(&run->round_seq)) == seen) {
            if (G_LOAD(&run->quit)) return NULL;
            sync_futex_wait(&run->round_seq, seen, SYNC_RECHECK_NS);
        }
        seen = s;
        if (G_LOAD(&run->quit)) return NULL;
        while (!G_LOAD(&run->round_over))
            if (use_cache(run, rd) < 0) break;
        G_ADD(&run->parked, 1u);
        sync_futex_wake(&run->parked, INT_MAX);
    }
}

static void *worker_main(void *arg)
{
    struct pr_run *run = arg;
    pin(run->cfg->cpus[run->cfg->readers + 1]);
    prefault_stack();
    gpc_defer_run(&run->g);
    return NULL;
}

/* Readers waiting for memory right now: touching their pages for longer than a fault takes. */
static uint32_t readers_waiting(const struct pr_run *run, int64_t now)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < run->cfg->readers; i++) {
        const struct pr_reader_state *st = &run->sh->readers[i];
        if (G_LOAD(&st->faulting) && now - G_LOAD(&st->fault_t0) >= PR_PRESSURE_NS) n++;
    }
    return n;
}

static int under_oom(int oom_fd)
{
    if (oom_fd < 0) return 0;
    char b[256];
    ssize_t n = pread(oom_fd, b, sizeof(b) - 1, 0);
    if (n <= 0) return 0;
    b[n] = 0;
    const char *p = strstr(b, "under_oom ");
    return p && p[10] == '1';
}

static uint64_t usage(const struct pr_run *run)
{
    int64_t u = fd_read_u64(run->usage_fd);
    return u > 0 ? (uint64_t)u : 0;
}

/* The victim range and the cache's page are populated again: the cgroup is back near its limit. */
static int repopulate(struct pr_run *run)
{
    if (madvise(run->victim, run->cfg->victim_bytes, MADV_POPULATE_WRITE) == 0) return 0;
    for (uint64_t o = 0; o < run->cfg->victim_bytes; o += PR_PAGE) ((volatile uint8_t *)run->victim)[o] = 1;
    return 0;
}

/* The reaper's notifier start with its policy; eagain attempts retry_gap_ns apart. */
static int reap_start(struct pr_run *run, struct gpcrace_pressure_round *rec, struct gpc_wait *w)
{
    const struct gpcrace_pressure_config *cfg = run->cfg;
    uint64_t start = (uint64_t)(uintptr_t)run->victim, end = start + cfg->victim_bytes;
    for (;;) {
        memset(w, 0, sizeof(*w));
        w->nonblock = 1;
        w->policy = (int)cfg->policy;
        rec->attempts++;
        int r = gpc_range_start(&run->g, start, end, 1, w);
        rec->would_sleep += w->would_sleep;
        if (w->deferred) rec->flags |= GPCRACE_PRESSURE_DEFERRED;
        if (r != -EAGAIN) return r;
        rec->flags |= GPCRACE_PRESSURE_EAGAIN;
        if (rec->attempts >= cfg->max_retries) return -EAGAIN;
        struct timespec ts = {cfg->retry_gap_ns / 1000000000LL, cfg->retry_gap_ns % 1000000000LL};
        nanosleep(&ts, NULL);
    }
}

static int run_round(struct pr_run *run, uint64_t n, struct gpcrace_pressure_round *rec)
{
    const struct gpcrace_pressure_config *cfg = run->cfg;
    struct pr_shared *sh = run->sh;
    struct gpc *g = &run->g;
    memset(rec, 0, sizeof(*rec));
    rec->round = n;
    /* the limit back where it was if the last round's break raised it (the readers' pages are released) */
    if (G_LOAD(&sh->lent_round)) {
        int r = fd_write_u64(run->limit_fd, sh->base_limit);
        if (r < 0) return pr_fail(sh, -r, "restore the memory limit");
        G_STORE(&sh->lent_round, 0ull);
    }
    repopulate(run);
    struct gpc_stats st = {0};
    int r;
    while ((r = G_LOAD(&g->active) ? gpc_refresh(g, &st) : gpc_activate(g, &st)) < 0) {
        if (r == -ECANCELED) return pr_fail(sh, ECANCELED, "refresh at the round start");
        struct timespec ts = {0, 100000};
        nanosleep(&ts, NULL);
    }
    uint64_t g_inv = G_LOAD(&g->generation) & GPC_TAG_MASK;
    uint64_t total0 = G_LOAD(&run->acc_total);
    G_STORE(&sh->round_flags, 0u);
    G_STORE(&sh->round, n);
    G_STORE(&run->round_over, 0u);
    G_STORE(&run->parked, 0u);
    G_ADD(&run->round_seq, 1u);
    sync_futex_wake(&run->round_seq, INT_MAX);

    /* wait until a reader waits for memory (the OOM situation the reaper is called in) */
    int64_t t_wait = mono_ns();
    while (!readers_waiting(run, mono_ns()) && mono_ns() - t_wait < PR_PRESSURE_WAIT_NS) {
        struct timespec ts = {0, 100000};
        nanosleep(&ts, NULL);
    }
    rec->readers_waiting = readers_waiting(run, mono_ns());
    if (rec->readers_waiting) rec->flags |= GPCRACE_PRESSURE_WAITED;
    if (under_oom(run->oom_fd)) rec->flags |= GPCRACE_PRESSURE_OOM;
    rec->usage_before = usage(run);
    int64_t lim = fd_read_u64(run->limit_fd);
    rec->limit_bytes = lim > 0 ? (uint64_t)lim : 0;

    int64_t t0 = mono_ns();
    G_STORE(&sh->reaper_t0, t0);
    G_STORE(&sh->reaper_state, (uint32_t)PR_REAPER_START);
    struct gpc_wait w;
    r = reap_start(run, rec, &w);
    int64_t t1 = mono_ns();
    rec->wait_ns = (uint64_t)(t1 - t0);
    uint64_t snap = 0;
    int started = r == 0;
    uint64_t start = (uint64_t)(uintptr_t)run->victim, end = start + cfg->victim_bytes;
    if (started) {
        snap = G_LOAD(&run->acc[g_inv % PR_GEN_SLOTS]); /* S: accesses made before the start returned */
        G_STORE(&sh->reaper_state, (uint32_t)PR_REAPER_IDLE);
        uint64_t before = usage(run);
        madvise(run->victim, cfg->victim_bytes, MADV_DONTNEED); /* unmap_page_range: the memory goes */
        int64_t t2 = mono_ns();
        uint64_t after = usage(run);
        rec->free_ns = (uint64_t)(t2 - t0);
        rec->released_bytes = before > after ? before - after : 0;
        gpc_range_end(g, start, end, 1, &w);
    } else if (r == -EAGAIN) {
        rec->flags |= GPCRACE_PRESSURE_GAVE_UP;
        G_STORE(&sh->reaper_state, (uint32_t)PR_REAPER_GAVE_UP); /* the watchdog lends memory: the readers finish */
    } else {
        return pr_fail(sh, -r, "the reaper's notifier start");
    }

    G_STORE(&run->round_over, 1u);
    uint32_t p;
    while ((p = G_LOAD(&run->parked)) < cfg->readers) sync_futex_wait(&run->parked, p, SYNC_RECHECK_NS);
    G_STORE(&sh->reaper_state, (uint32_t)PR_REAPER_IDLE);
    if (rec->flags & GPCRACE_PRESSURE_DEFERRED) {
        if (gpc_defer_drain(g) < 0) return pr_fail(sh, ECANCELED, "the defer worker");
        if (g->defer.done_ns > g->defer.first_ns) rec->defer_ns = (uint64_t)(g->defer.done_ns - g->defer.first_ns);
        gpc_defer_round_reset(g);
    }
    if (started) rec->stale = G_LOAD(&run->acc[g_inv % PR_GEN_SLOTS]) - snap;
    rec->accesses = G_LOAD(&run->acc_total) - total0;
    uint32_t f = G_LOAD(&sh->round_flags);
    rec->flags |= f;
    if (f & GPCRACE_PRESSURE_BROKEN) rec->readers_waiting = rec->readers_waiting > G_LOAD(&sh->broken_readers)
            ? rec->readers_waiting : G_LOAD(&sh->broken_readers);
    return 0;
}

static int open_files(struct pr_run *run)
{
    const struct gpcrace_pressure_config *cfg = run->cfg;
    run->usage_fd = open(cfg->usage_path, O_RDONLY | O_CLOEXEC);
    if (run->usage_fd < 0) return pr_fail(run->sh, errno, "open the cgroup's usage file");
    run->limit_fd = open(cfg->limit_path, O_RDWR | O_CLOEXEC);
    if (run->limit_fd < 0) return pr_fail(run->sh, errno, "open the cgroup's limit file");
    run->oom_fd = cfg->oom_path[0] ? open(cfg->oom_path, O_RDONLY | O_CLOEXEC) : -1;
    under_oom(run->oom_fd);
    if (fd_read_u64(run->usage_fd) < 0 || fd_read_u64(run->limit_fd) < 0) return pr_fail(run->sh, EIO, "read the cgroup's usage and limit");
    return 0;
}

static int join_cgroup(const struct gpcrace_pressure_config *cfg, struct pr_shared *sh)
{
    int r = pressure_write_u64(cfg->procs_path, (uint64_t)getpid());
    if (r < 0) return pr_fail(sh, -r, "join the memory cgroup (cgroup.procs)");
    if (cfg->oom_path[0]) { /* v1: an allocation past the limit waits instead of killing */
        int fd = open(cfg->oom_path, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, "1", 1) != 1) {
            int e = errno;
            if (fd >= 0) close(fd);
            return pr_fail(sh, e, "memory.oom_control: oom_kill_disable");
        }
        close(fd);
    }
    return 0;
}

static int start_threads(struct pr_run *run)
{
    const struct gpcrace_pressure_config *cfg = run->cfg;
    for (uint32_t i = 0; i < cfg->readers; i++) {
        struct pr_reader *rd = &run->readers[i];
        rd->run = run;
        rd->index = (int)i;
        rd->cpu = cfg->cpus[1 + i];
        rd->buf = mmap(NULL, (size_t)cfg->alloc_pages * PR_PAGE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (rd->buf == MAP_FAILED) return -errno;
        int e = pthread_create(&rd->thread, NULL, reader_main, rd);
        if (e) return -e;
    }
    int e = pthread_create(&run->worker, NULL, worker_main, run);
    if (e) return -e;
    /* the readers' first stack pages and tids, before the limit is set */
    for (uint32_t i = 0; i < cfg->readers; i++)
        while (!G_LOAD(&run->sh->readers[i].tid)) sched_yield();
    return 0;
}

static void stop_threads(struct pr_run *run)
{
    G_STORE(&run->quit, 1u);
    G_STORE(&run->round_over, 1u);
    G_ADD(&run->round_seq, 1u);
    sync_futex_wake(&run->round_seq, INT_MAX);
    for (uint32_t i = 0; i < run->cfg->readers; i++) pthread_join(run->readers[i].thread, NULL);
    gpc_defer_stop(&run->g);
    pthread_join(run->worker, NULL);
}

int pressure_child(const struct gpcrace_pressure_config *cfg, struct pr_shared *sh)
{
    pin(cfg->cpus[0]);
    prefault_stack();
    G_STORE(&sh->reaper_tid, (int32_t)syscall(SYS_gettid));
    int st = join_cgroup(cfg, sh);
    if (st) return st;
    struct pr_run *run = mmap(NULL, sizeof(*run), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (run == MAP_FAILED) return pr_fail(sh, errno, "mmap the run");
    run->cfg = cfg;
    run->sh = sh;
    run->ops = gpc_protocol(cfg->protocol);
    if ((st = open_files(run))) return st;
    run->alloc_inside = run->ops->read_begin == gpc_srcu_read_begin;
    run->victim = mmap(NULL, cfg->victim_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (run->victim == MAP_FAILED) return pr_fail(sh, errno, "mmap the victim range");
    struct gpc_init_args a = {
        .uhva = (uint64_t)(uintptr_t)run->victim, .len = PR_PAGE, .lock_kind = cfg->lock_kind,
        .nreaders = cfg->readers, .retry_bound = 1000000, .refresh_mode = GPCRACE_REFRESH_RETRY,
        .memfd = -1, .abort = &run->abort,
    };
    int r = gpc_init(&run->g, run->ops, &a);
    if (r < 0) return pr_fail(sh, -r, "gpc_init");
    run->g.yield_on_retry = 1;
    r = start_threads(run);
    if (r < 0) return pr_fail(sh, -r, "start the readers");
    repopulate(run);
    struct gpc_stats gs = {0};
    r = gpc_activate(&run->g, &gs);
    if (r < 0) return pr_fail(sh, -r, "activate the cache");
    /* the limit: this child's usage with everything mapped, plus the headroom */
    int64_t u = fd_read_u64(run->usage_fd);
    if (u < 0) return pr_fail(sh, (int)-u, "read the cgroup's usage");
    uint64_t base = (uint64_t)u + cfg->headroom_bytes;
    r = fd_write_u64(run->limit_fd, base);
    if (r < 0) return pr_fail(sh, -r, "write the memory limit");
    G_STORE(&sh->base_limit, base);
    G_STORE(&sh->lend_bytes, (uint64_t)cfg->readers * cfg->alloc_pages * PR_PAGE + cfg->headroom_bytes);
    G_STORE(&sh->ready, 1u);

    st = 0;
    for (uint64_t n = 1; n <= cfg->rounds && !G_LOAD(&sh->stop); n++) {
        st = run_round(run, n, &sh->out[n - 1]);
        if (st) break;
        G_STORE(&sh->rounds_done, n);
    }
    stop_threads(run);
    gpc_fini(&run->g);
    close(run->usage_fd);
    close(run->limit_fd);
    if (run->oom_fd >= 0) close(run->oom_fd);
    return st;
}
