/*
 * pressure_watch.c - gpcrace_gpc_pressure_run: validates the configuration, forks the child
 * (pressure.c) into the memory cgroup and watches it from outside the cgroup. The watchdog is
 * the part of the OOM picture the kernel does not have: it sees the reaper stuck in its
 * non-blockable start (synchronize_srcu in the SRCU protocols) while readers wait for memory,
 * calls that a reap-stall, writes the wait chain once, and breaks it by raising the cgroup's
 * limit by the readers' demand, so their allocations complete, they leave their read sections
 * and the reaper's wait ends by itself: no wait is cancelled, so nothing the protocol guarantees
 * is broken by the break.
 */
#define _GNU_SOURCE
#include "pressure.h"
#include "gpc.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define WATCH_TICK_NS 250000LL

static int64_t config_error(char *err, uint64_t errlen, const char *what)
{
    if (err && errlen) snprintf(err, errlen, "%s", what);
    return -EINVAL;
}

static int path_ok(const char *p) { return memchr(p, 0, GPCRACE_PRESSURE_PATH) != NULL; }

static int64_t validate(const struct gpcrace_pressure_config *cfg, char *err, uint64_t errlen)
{
    const struct gpc_ops *ops = gpc_protocol(cfg->protocol);
    if (!ops) return config_error(err, errlen, "unknown protocol index");
    if (ops->uffd_order != GPC_UFFD_NONE || ops->pinned)
        return config_error(err, errlen, "memory pressure needs a protocol the notifier invalidates (not a userfaultfd monitor, not pinned)");
    if (cfg->policy != GPCRACE_WAIT_SLEEP && cfg->policy != GPCRACE_WAIT_SPIN && cfg->policy != GPCRACE_WAIT_NONE
        && cfg->policy != GPCRACE_WAIT_DEFER)
        return config_error(err, errlen, "policy must be sleep, spin, eagain or defer");
    if (cfg->lock_kind > GPCRACE_RWLOCK_SLEEPING) return config_error(err, errlen, "unknown lock kind");
    if (cfg->readers < 1 || cfg->readers > PR_MAX_READERS) return config_error(err, errlen, "readers must be 1..8");
    if (cfg->rounds < 1) return config_error(err, errlen, "rounds must be at least 1");
    if (cfg->alloc_pages < 1 || cfg->alloc_pages > 65536) return config_error(err, errlen, "alloc_pages must be 1..65536");
    if (cfg->victim_bytes < 4096 || cfg->victim_bytes % 4096 || cfg->victim_bytes > (1ull << 34))
        return config_error(err, errlen, "victim_bytes must be a multiple of 4096, 4 KiB .. 16 GiB");
    if (cfg->headroom_bytes > (uint64_t)cfg->readers * cfg->alloc_pages * 4096)
        return config_error(err, errlen, "headroom_bytes must be below the readers' demand (readers x alloc_pages pages), or nobody waits");
    if (cfg->stall_ns <= 0 || cfg->watchdog_ns <= cfg->stall_ns) return config_error(err, errlen, "need 0 < stall_ns < watchdog_ns");
    if (cfg->policy == GPCRACE_WAIT_NONE && (cfg->max_retries < 1 || cfg->retry_gap_ns < 0))
        return config_error(err, errlen, "eagain needs max_retries >= 1 and retry_gap_ns >= 0");
    if (!path_ok(cfg->procs_path) || !path_ok(cfg->usage_path) || !path_ok(cfg->limit_path) || !path_ok(cfg->oom_path))
        return config_error(err, errlen, "a cgroup path is not NUL-terminated");
    if (!cfg->procs_path[0] || !cfg->usage_path[0] || !cfg->limit_path[0])
        return config_error(err, errlen, "the cgroup's cgroup.procs, usage and limit files are needed");
    return 0;
}

/* "S mem_cgroup_oom_synchronize": the thread's state letter and kernel wait channel. */
static void task_wait(pid_t pid, int tid, char *out, size_t len)
{
    char path[96], stat[512] = {0}, wchan[96] = {0};
    snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid, tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, stat, sizeof(stat) - 1);
        close(fd);
        if (n < 0) stat[0] = 0;
    }
    snprintf(path, sizeof(path), "/proc/%d/task/%d/wchan", (int)pid, tid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, wchan, sizeof(wchan) - 1);
        close(fd);
        wchan[n > 0 ? n : 0] = 0;
    }
    const char *rp = strrchr(stat, ')');
    char state = rp && rp[1] == ' ' ? rp[2] : '?';
    snprintf(out, len, "state %c, wchan %s", state, wchan[0] && strcmp(wchan, "0") ? wchan : "-");
}

static void oom_line(const char *oom_path, char *out, size_t len)
{
    out[0] = 0;
    if (!oom_path[0]) return;
    char b[256];
    int fd = open(oom_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ssize_t n = read(fd, b, sizeof(b) - 1);
    close(fd);
    b[n > 0 ? n : 0] = 0;
    for (char *c = b; *c; c++)
        if (*c == '\n') *c = ',';
    if (n > 0 && b[n - 1] == ',') b[n - 1] = 0;
    snprintf(out, len, ", %.150s", b);
}

static const char *policy_name(uint32_t p)
{
    switch (p) {
    case GPCRACE_WAIT_SLEEP: return "sleep";
    case GPCRACE_WAIT_SPIN: return "spin";
    case GPCRACE_WAIT_NONE: return "eagain";
    default: return "defer";
    }
}

/* The wait chain, reaper -> readers -> the cgroup -> the victim only the reaper frees. */
static void write_chain(const struct gpcrace_pressure_config *cfg, struct pr_shared *sh, pid_t pid, int64_t now, int gave_up)
{
    char *c = sh->chain;
    size_t len = sizeof(sh->chain), at = 0;
    char w[192];
    const struct gpc_ops *ops = gpc_protocol(cfg->protocol);
    task_wait(pid, G_LOAD(&sh->reaper_tid), w, sizeof(w));
    if (gave_up)
        at += (size_t)snprintf(c + at, len - at, "round %llu: reaper (tid %d) gave the victim range up after %u -EAGAIN attempts [%s, eagain]",
                               (unsigned long long)G_LOAD(&sh->round), G_LOAD(&sh->reaper_tid), cfg->max_retries, ops->id);
    else
        at += (size_t)snprintf(c + at, len - at,
                               "round %llu: reaper (tid %d, %s) in the non-blockable invalidate_range_start for %.1f ms [%s, policy %s]",
                               (unsigned long long)G_LOAD(&sh->round), G_LOAD(&sh->reaper_tid), w,
                               (now - G_LOAD(&sh->reaper_t0)) / 1e6, ops->id, policy_name(cfg->policy));
    at += (size_t)snprintf(c + at, at < len ? len - at : 0, " -> readers:");
    for (uint32_t i = 0; i < cfg->readers && at < len; i++) {
        const struct pr_reader_state *st = &sh->readers[i];
        task_wait(pid, G_LOAD(&st->tid), w, sizeof(w));
        int f = (int)G_LOAD(&st->faulting);
        at += (size_t)snprintf(c + at, len - at, " reader %u (tid %d, %s) %s%s", i, G_LOAD(&st->tid), w,
                               G_LOAD(&st->in_section) ? "inside its read section" : "outside its read section",
                               f ? "" : ", not waiting for memory");
        if (f && at < len)
            at += (size_t)snprintf(c + at, len - at, ", waiting %.1f ms for page %u of %u", (now - G_LOAD(&st->fault_t0)) / 1e6,
                                   G_LOAD(&st->page), cfg->alloc_pages);
        if (at < len) at += (size_t)snprintf(c + at, len - at, ";");
    }
    char oom[200];
    oom_line(cfg->oom_path, oom, sizeof(oom));
    int64_t u = pressure_read_u64(cfg->usage_path), l = pressure_read_u64(cfg->limit_path);
    if (at < len)
        at += (size_t)snprintf(c + at, len - at, " -> memory cgroup: usage %lld of limit %lld bytes%s -> the %llu-byte victim range,"
                               " which only the reaper frees. Broken by raising the limit by %llu bytes (the readers' demand):"
                               " the readers finish, the reaper's wait ends by itself; the limit is back for the next round",
                               (long long)u, (long long)l, oom, (unsigned long long)cfg->victim_bytes,
                               (unsigned long long)G_LOAD(&sh->lend_bytes));
    G_STORE(&sh->chain_written, 1u);
}

/* One look: a reaper stuck while readers wait for memory is a stall; a give-up needs the same break. */
static void watch(const struct gpcrace_pressure_config *cfg, struct pr_shared *sh, pid_t pid)
{
    if (!G_LOAD(&sh->ready)) return;
    uint64_t round = G_LOAD(&sh->round);
    if (G_LOAD(&sh->lent_round) == round) return; /* already broken this round */
    uint32_t state = G_LOAD(&sh->reaper_state);
    int64_t now = mono_ns();
    uint32_t waiting = 0;
    for (uint32_t i = 0; i < cfg->readers; i++)
        if (G_LOAD(&sh->readers[i].faulting)) waiting++;
    int stall = state == PR_REAPER_START && now - G_LOAD(&sh->reaper_t0) > cfg->stall_ns && waiting > 0;
    int gave_up = state == PR_REAPER_GAVE_UP && waiting > 0;
    if (!stall && !gave_up) return;
    if (!G_LOAD(&sh->chain_written) && (stall || cfg->policy == GPCRACE_WAIT_NONE)) write_chain(cfg, sh, pid, now, gave_up);
    G_STORE(&sh->broken_readers, waiting);
    __atomic_fetch_or(&sh->round_flags, (stall ? GPCRACE_PRESSURE_STALL : 0u) | GPCRACE_PRESSURE_BROKEN, __ATOMIC_SEQ_CST);
    pressure_write_u64(cfg->limit_path, G_LOAD(&sh->base_limit) + G_LOAD(&sh->lend_bytes));
    G_STORE(&sh->lent_round, round);
}

int64_t gpcrace_gpc_pressure_run(const struct gpcrace_pressure_config *cfg, struct gpcrace_pressure_round *rounds,
                                 char *chain, uint64_t chainlen, char *err, uint64_t errlen)
{
    if (err && errlen) err[0] = 0;
    if (chain && chainlen) chain[0] = 0;
    int64_t v = validate(cfg, err, errlen);
    if (v < 0) return v;
    size_t bytes = sizeof(struct pr_shared) + (size_t)cfg->rounds * sizeof(struct gpcrace_pressure_round);
    struct pr_shared *sh = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) {
        int e = errno;
        snprintf(err, errlen, "mmap the shared block: %s", strerror(e));
        return -e;
    }
    memset(sh, 0, bytes); /* charged here, to the caller's cgroup, not the child's */
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        munmap(sh, bytes);
        snprintf(err, errlen, "fork: %s", strerror(e));
        return -e;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* a killed run takes its child along */
        if (getppid() != parent) _exit(4);
        sigset_t all;
        sigfillset(&all);
        sigdelset(&all, SIGKILL);
        pthread_sigmask(SIG_SETMASK, &all, NULL); /* the JVM's signals are not the child's business */
        _exit(pressure_child(cfg, sh));
    }
    int status = 0, hung = 0;
    uint64_t last_done = 0;
    int64_t last_progress = mono_ns();
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) break;
        if (__atomic_load_n(&cfg->stop, __ATOMIC_ACQUIRE)) G_STORE(&sh->stop, 1u);
        watch(cfg, sh, pid);
        uint64_t done = G_LOAD(&sh->rounds_done);
        int64_t now = mono_ns();
        if (done != last_done || !G_LOAD(&sh->ready)) {
            last_done = done;
            last_progress = now;
        } else if (!hung && now - last_progress > cfg->watchdog_ns) {
            hung = 1;
            kill(pid, SIGKILL);
        }
        struct timespec ts = {0, WATCH_TICK_NS};
        nanosleep(&ts, NULL);
    }
    uint64_t done = G_LOAD(&sh->rounds_done);
    if (done > cfg->rounds) done = cfg->rounds;
    memcpy(rounds, sh->out, (size_t)done * sizeof(*rounds));
    if (chain && chainlen) snprintf(chain, chainlen, "%s", sh->chain);
    int64_t r = (int64_t)done;
    if (hung) {
        snprintf(err, errlen, "no round ended for %.0f ms: the child was killed after %llu rounds (round %llu hung)",
                 cfg->watchdog_ns / 1e6, (unsigned long long)done, (unsigned long long)G_LOAD(&sh->round));
        r = -ETIMEDOUT;
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (sh->err[0]) snprintf(err, errlen, "%s", sh->err);
        else snprintf(err, errlen, "the child ended with status 0x%x", status);
        r = WIFEXITED(status) && WEXITSTATUS(status) == 3 ? -EIO : -ECHILD;
    }
    munmap(sh, bytes);
    return r;
}
