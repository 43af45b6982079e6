/*
 * The actor's request loop, driven across two processes as Java drives it: a forked child serves
 * a shared memfd control block; the parent maps memory in the child, runs a probe whose samples
 * land in the shared data area, runs GPC batches whose records land there too, and sees the CPUs
 * the child's threads ran on. The child leaves when its parent's pipe hangs up, and refuses
 * requests it cannot honour (a record area past the end, an unknown run, an unknown op).
 */
#define _GNU_SOURCE
#include "actor.h"
#include "sync.h"
#include "check.h"

#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHARED (8u << 20)

static struct actor_ctl *ctl;
static uint8_t *shared;
static int pipe_rd = -1;

static int parent_alive(void)
{
    struct pollfd p = {.fd = pipe_rd, .events = POLLIN};
    return !(poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR)));
}

static int64_t call(int op, int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5)
{
    ctl->op = op;
    int64_t a[6] = {a0, a1, a2, a3, a4, a5};
    for (int i = 0; i < 6; i++) ctl->arg[i] = a[i];
    uint32_t r = __atomic_load_n(&ctl->req, __ATOMIC_RELAXED) + 1;
    __atomic_store_n(&ctl->req, r, __ATOMIC_RELEASE);
    sync_futex_wake_shared(&ctl->req, 1);
    for (int waited = 0; ; waited++) {
        uint32_t ack = __atomic_load_n(&ctl->ack, __ATOMIC_ACQUIRE);
        if (ack == r) break;
        CHECK(waited < 600, "op %d: no answer in 60 s", op);
        sync_futex_wait_shared(&ctl->ack, ack, 100000000LL);
    }
    return ctl->ret[0];
}

static pid_t start_actor(int *pipe_wr)
{
    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    memset(shared, 0, ACTOR_CTL_BYTES);
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        close(fds[1]);
        pipe_rd = fds[0];
        actor_ctl_init(ctl, SHARED);
        _exit(actor_serve(shared, SHARED, parent_alive) == 1 ? 7 : 0);
    }
    close(fds[0]);
    *pipe_wr = fds[1];
    while (!__atomic_load_n(&ctl->ready, __ATOMIC_ACQUIRE)) sync_futex_wait_shared(&ctl->ready, 0, 100000000LL);
    CHECK(ctl->magic == ACTOR_MAGIC && ctl->version == ACTOR_VERSION, "magic %llx", (unsigned long long)ctl->magic);
    CHECK(ctl->pid == pid, "the child names itself: %d vs %d", ctl->pid, pid);
    return pid;
}

static int cpu_count(void)
{
    int n = 0;
    for (int w = 0; w < ACTOR_CPU_WORDS; w++) n += __builtin_popcountll(ctl->cpus[w]);
    return n;
}

static void probes(void)
{
    int64_t page = call(ACTOR_OP_MMAP, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(page > 0, "mmap in the actor: %lld", (long long)page);
    CHECK(call(ACTOR_OP_MADVISE, page, 4096, MADV_DONTNEED, 0, 0, 0) == 0, "madvise");
    CHECK(call(ACTOR_OP_MADVISE, page + 1, 4096, MADV_DONTNEED, 0, 0, 0) == -EINVAL, "an unaligned madvise is -EINVAL");
    int64_t hz = call(ACTOR_OP_TSC_CALIBRATE, 5000000, 0, 0, 0, 0, 0);
    call(ACTOR_OP_CLOCK_USE, hz, 0, 0, 0, 0, 0);
    struct gpcrace_probe_cfg *cfg = (void *)(shared + ACTOR_CFG_OFF);
    memset(cfg, 0, sizeof(*cfg));
    cfg->addr = page;
    cfg->length = 4096;
    cfg->fd = -1;
    cfg->cpu = 0;
    cfg->mode = GPCRACE_PMODE_OP;
    cfg->source = GPCRACE_PSRC_DONTNEED;
    int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (ncpu >= 2) {
        cfg->nhelpers = 1;
        cfg->helper_cpus[0] = 1;
    }
    int64_t n = 100;
    int64_t r = call(ACTOR_OP_PROBE_RUN, GPCRACE_PROBE_MADVISE, n, ACTOR_DATA_OFF, 0, 0, 0);
    struct gpcrace_probe_out *out = (void *)(shared + ACTOR_OUT_OFF);
    CHECK(r == n, "probe run: %lld (call %d errno %d)", (long long)r, out->err_call, out->err_errno);
    const int64_t *samples = (const void *)(shared + ACTOR_DATA_OFF);
    for (int64_t i = 0; i < n; i++) CHECK(samples[i] > 0, "sample %lld = %lld", (long long)i, (long long)samples[i]);
    CHECK(out->done == n && out->cpu == 0, "out: done %lld cpu %d", (long long)out->done, out->cpu);
    CHECK((ctl->cpus[0] & 1) && cpu_count() == (ncpu >= 2 ? 2 : 1), "CPUs seen %llx", (unsigned long long)ctl->cpus[0]);
    CHECK(ctl->threads == (ncpu >= 2 ? 2 : 1), "threads during the call: %d", ctl->threads);
    /* samples past the end of the shared memory are refused, not written */
    CHECK(call(ACTOR_OP_PROBE_RUN, GPCRACE_PROBE_MADVISE, SHARED, ACTOR_DATA_OFF, 0, 0, 0) == -EINVAL, "oversized");
    CHECK(call(ACTOR_OP_MUNMAP, page, 4096, 0, 0, 0, 0) == 0, "munmap");
    CHECK(call(ACTOR_OP_COUNT, 0, 0, 0, 0, 0, 0) == -ENOSYS, "unknown op");
}

static void gpc(void)
{
    size_t len = 1u << 20;
    int64_t guest = call(ACTOR_OP_MMAP, 0, (int64_t)len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(guest > 0, "guest mmap");
    struct gpcrace_gpc_config *c = (void *)(shared + ACTOR_CFG_OFF);
    memset(c, 0, sizeof(*c));
    c->protocol = gpcrace_gpc_protocol_index("rwlock");
    c->readers = 1;
    c->pages = 1;
    c->stride = 64;
    c->refresh_retry_bound = 1000;
    c->invalidations = 1;
    c->invalidators = 1;
    c->memfd = -1;
    c->guest_base = (uint64_t)guest;
    c->guest_bytes = len;
    c->delay_max_ns = 2000;
    c->seed = 7;
    c->watchdog_ns = 20000000000LL;
    for (int a = 0; a < GPCRACE_GPC_MAX_ACTORS; a++) c->cpus[a] = -1;
    if (sysconf(_SC_NPROCESSORS_ONLN) >= 2) { c->cpus[0] = 0; c->cpus[1] = 1; }
    CHECK(call(ACTOR_OP_GPC_CREATE, 0, 0, 0, 0, 0, 0) == 0, "create: %s", ctl->err);
    int64_t run = ctl->ret[1];
    CHECK(run != 0, "a run handle");
    uint64_t rounds = 500;
    CHECK(call(ACTOR_OP_GPC_ARM, run, (int64_t)rounds, ACTOR_DATA_OFF, GPCRACE_BATCH_RACE, 0, 0) == 0, "arm");
    CHECK(call(ACTOR_OP_GPC_RUN_BATCH, run, c->cpus[0], 0, 0, 0, 0) == GPCRACE_GPC_DONE, "batch: %s", ctl->err);
    CHECK(ctl->ret[1] == (int64_t)rounds, "batch done %lld", (long long)ctl->ret[1]);
    const struct gpcrace_gpc_round *rec = (const void *)(shared + ACTOR_DATA_OFF);
    CHECK(rec->round == 1 && (rec->flags & GPCRACE_ROUND_INVALIDATED), "first record: round %llu flags %x",
          (unsigned long long)rec->round, rec->flags);
    CHECK(ctl->actor_cpu[0] >= 0 && ctl->actor_cpu[1] >= 0, "actor CPUs %d %d", ctl->actor_cpu[0], ctl->actor_cpu[1]);
    CHECK(ctl->threads == 3, "main (watchdog), invalidator, reader: %d", ctl->threads);
    /* a record area that cannot hold the batch, and a handle the actor never made, are refused */
    CHECK(call(ACTOR_OP_GPC_ARM, run, SHARED, ACTOR_DATA_OFF, GPCRACE_BATCH_RACE, 0, 0) == -EINVAL, "oversized batch");
    CHECK(call(ACTOR_OP_GPC_ARM, run + 64, 10, ACTOR_DATA_OFF, GPCRACE_BATCH_RACE, 0, 0) == -EINVAL, "unknown run");
    CHECK(call(ACTOR_OP_GPC_DESTROY, run, 0, 0, 0, 0, 0) == 0, "destroy");
    CHECK(call(ACTOR_OP_GPC_DESTROY, run, 0, 0, 0, 0, 0) == -EINVAL, "destroyed twice");

    /* guest readers are kicked with tgkill(getpid(), tid): in the actor, its own reader threads */
    c->protocol = gpcrace_gpc_protocol_index("seqcount-srcu");
    c->reader_mode = GPCRACE_READER_GUEST;
    CHECK(call(ACTOR_OP_GPC_CREATE, 0, 0, 0, 0, 0, 0) == 0, "create guest: %s", ctl->err);
    run = ctl->ret[1];
    CHECK(call(ACTOR_OP_GPC_ARM, run, (int64_t)rounds, ACTOR_DATA_OFF, GPCRACE_BATCH_RACE, 0, 0) == 0, "arm guest");
    CHECK(call(ACTOR_OP_GPC_RUN_BATCH, run, c->cpus[0], 0, 0, 0, 0) == GPCRACE_GPC_DONE, "guest batch: %s", ctl->err);
    uint64_t kicks = 0, stride = gpcrace_gpc_round_bytes(1);
    for (uint64_t i = 0; i < rounds; i++) kicks += ((const struct gpcrace_gpc_round *)(const void *)(shared + ACTOR_DATA_OFF + i * stride))->kicks;
    /* one CPU: the reader may never be in guest mode while the invalidator runs */
    CHECK(kicks > 0 || sysconf(_SC_NPROCESSORS_ONLN) < 2, "guest readers kicked in the actor: %llu kicks in %llu rounds", (unsigned long long)kicks, (unsigned long long)rounds);
    CHECK(call(ACTOR_OP_GPC_DESTROY, run, 0, 0, 0, 0, 0) == 0, "destroy guest");
    CHECK(call(ACTOR_OP_MUNMAP, guest, (int64_t)len, 0, 0, 0, 0) == 0, "munmap guest");
}

int main(void)
{
    int fd = memfd_create("test-actor", MFD_CLOEXEC);
    CHECK(fd >= 0 && ftruncate(fd, SHARED) == 0, "memfd");
    shared = mmap(NULL, SHARED, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(shared != MAP_FAILED, "mmap shared");
    ctl = (struct actor_ctl *)(void *)shared;

    int wr;
    pid_t pid = start_actor(&wr);
    CHECK(call(ACTOR_OP_HELLO, 0, 0, 0, 0, 0, 0) == pid, "hello");
    CHECK(ctl->ret[1] == GPCRACE_ABI_VERSION && !strcmp(ctl->str, gpcrace_version()), "version %s", ctl->str);
    probes();
    gpc();
    call(ACTOR_OP_EXIT, 0, 0, 0, 0, 0, 0);
    int st;
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, "exit after ACTOR_OP_EXIT: %x", st);
    close(wr);

    /* the parent's pipe hanging up ends an idle actor within its tick */
    pid = start_actor(&wr);
    close(wr);
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 7, "left when the pipe hung up: %x", st);
    printf("test_actor: requests across processes, probe samples and gpc records in the shared area, guest kicks, CPUs seen: ok\n");
    return 0;
}
