/*
 * actor: the request loop and the dispatch of one request. Only the library's own entry points
 * run here (gpcrace.h: probes, the race engine's create / arm / run_batch / destroy); the actor
 * adds no measurement of its own.
 */
#define _GNU_SOURCE
#include "actor.h"
#include "probe_common.h"
#include "sync.h"

#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

void actor_ctl_init(struct actor_ctl *ctl, uint64_t shared_bytes)
{
    ctl->magic = ACTOR_MAGIC;
    ctl->version = ACTOR_VERSION;
    ctl->pid = (int32_t)getpid();
    ctl->data_bytes = shared_bytes > ACTOR_DATA_OFF ? shared_bytes - ACTOR_DATA_OFF : 0;
    static const int64_t offsets[] = {
        offsetof(struct actor_ctl, ready), offsetof(struct actor_ctl, req), offsetof(struct actor_ctl, ack),
        offsetof(struct actor_ctl, op), offsetof(struct actor_ctl, pid), offsetof(struct actor_ctl, arg),
        offsetof(struct actor_ctl, ret), offsetof(struct actor_ctl, data_bytes), offsetof(struct actor_ctl, cpus),
        offsetof(struct actor_ctl, actor_cpu), offsetof(struct actor_ctl, threads), offsetof(struct actor_ctl, str),
        offsetof(struct actor_ctl, err), ACTOR_CFG_OFF, ACTOR_OUT_OFF, ACTOR_DATA_OFF,
    };
    ctl->layout_count = (int32_t)(sizeof(offsets) / sizeof(offsets[0]));
    memcpy(ctl->layout, offsets, sizeof(offsets));
}

/* The main thread's home between calls: the CPU Java names, so that waking for the next request
 * does not make the measured mm active on a CPU a probe expects to be free of it. */
static cpu_set_t start_set;
static int start_set_known;
static int home_cpu = -1;

static int64_t pin_home(int cpu)
{
    if (!start_set_known) {
        if (sched_getaffinity(0, sizeof(start_set), &start_set)) return -errno;
        start_set_known = 1;
    }
    cpu_set_t set = start_set; /* -1: every CPU the actor was started with */
    if (cpu >= 0) {
        if (cpu >= CPU_SETSIZE) return -EINVAL;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
    }
    if (sched_setaffinity(0, sizeof(set), &set)) return -errno;
    home_cpu = cpu;
    return 0;
}

/* The runs created here and their reader counts: a batch's records must fit the data area. */
#define ACTOR_MAX_RUNS 16
static struct { struct gpcrace_gpc_run *run; uint32_t readers; } runs[ACTOR_MAX_RUNS];

static uint32_t readers_of(struct gpcrace_gpc_run *run)
{
    for (int i = 0; i < ACTOR_MAX_RUNS; i++)
        if (runs[i].run == run && run) return runs[i].readers;
    return 0;
}

static void forget_run(struct gpcrace_gpc_run *run)
{
    for (int i = 0; i < ACTOR_MAX_RUNS; i++)
        if (runs[i].run == run) runs[i].run = NULL;
}

static void take_cpus(struct actor_ctl *ctl)
{
    uint64_t seen[PROBE_CPU_WORDS];
    probe_cpus_take(seen);
    int me = sched_getcpu();
    if (me >= 0 && me < 64 * PROBE_CPU_WORDS) seen[me / 64] |= 1ULL << (me % 64);
    memcpy(ctl->cpus, seen, sizeof(seen));
    ctl->threads = probe_threads_take();
}

static int64_t probe_run(struct actor_ctl *ctl, uint8_t *base, uint64_t shared_bytes)
{
    int probe = (int)ctl->arg[0];
    int64_t n = ctl->arg[1];
    uint64_t off = (uint64_t)ctl->arg[2];
    int series = gpcrace_probe_series(probe);
    if (series < 1 || n < 0 || off < ACTOR_DATA_OFF || off > shared_bytes
        || (uint64_t)n * (uint64_t)series * 8u > shared_bytes - off)
        return -EINVAL;
    const struct gpcrace_probe_cfg *cfg = (const void *)(base + ACTOR_CFG_OFF);
    struct gpcrace_probe_out *out = (void *)(base + ACTOR_OUT_OFF);
    probe_cpus_take(ctl->cpus); /* forget what earlier calls saw */
    probe_threads_take();
    int64_t r = gpcrace_probe_run(probe, cfg, (int64_t *)(void *)(base + off), n, out);
    take_cpus(ctl);
    return r;
}

static int64_t gpc_create(struct actor_ctl *ctl, uint8_t *base)
{
    const struct gpcrace_gpc_config *cfg = (const void *)(base + ACTOR_CFG_OFF);
    int slot = -1;
    for (int i = 0; i < ACTOR_MAX_RUNS && slot < 0; i++)
        if (!runs[i].run) slot = i;
    if (slot < 0) {
        snprintf(ctl->err, sizeof(ctl->err), "the actor holds %d runs already", ACTOR_MAX_RUNS);
        return -EMFILE;
    }
    struct gpcrace_gpc_run *run = NULL;
    int r = gpcrace_gpc_create(cfg, &run, ctl->err, sizeof(ctl->err));
    if (r == 0) {
        runs[slot].run = run;
        runs[slot].readers = cfg->readers;
    }
    ctl->ret[1] = (int64_t)(intptr_t)run;
    return r;
}

static int64_t gpc_run_batch(struct actor_ctl *ctl)
{
    struct gpcrace_gpc_run *run = (void *)(intptr_t)ctl->arg[0];
    if (!readers_of(run)) return -EINVAL;
    /* the calling thread is the engine's watchdog: it sleeps on the invalidator's CPU, where
     * its 100 ms ticks disturb no reader */
    int home = home_cpu;
    if (ctl->arg[1] >= 0) pin_home((int)ctl->arg[1]);
    int r = gpcrace_gpc_run_batch(run);
    if (ctl->arg[1] >= 0) pin_home(home);
    ctl->ret[1] = (int64_t)gpcrace_gpc_batch_done(run);
    int threads = 1;
    for (int a = 0; a < GPCRACE_GPC_MAX_ACTORS; a++) {
        ctl->actor_cpu[a] = gpcrace_gpc_actor_cpu(run, a);
        if (ctl->actor_cpu[a] >= 0) threads++;
    }
    memset(ctl->cpus, 0, sizeof(ctl->cpus));
    for (int a = 0; a < GPCRACE_GPC_MAX_ACTORS; a++) {
        int c = ctl->actor_cpu[a];
        if (c >= 0 && c < 64 * ACTOR_CPU_WORDS) ctl->cpus[c / 64] |= 1ULL << (c % 64);
    }
    ctl->threads = threads;
    snprintf(ctl->err, sizeof(ctl->err), "%s", gpcrace_gpc_last_error(run));
    return r;
}

void actor_dispatch(struct actor_ctl *ctl, uint8_t *base, uint64_t shared_bytes)
{
    int64_t r = 0;
    ctl->err[0] = '\0';
    for (int i = 1; i < 8; i++) ctl->ret[i] = 0;
    switch (ctl->op) {
    case ACTOR_OP_HELLO:
        snprintf(ctl->str, sizeof(ctl->str), "%s", gpcrace_version());
        ctl->ret[1] = gpcrace_abi_version();
        r = getpid();
        break;
    case ACTOR_OP_EXIT: break;
    case ACTOR_OP_PIN: r = pin_home((int)ctl->arg[0]); break;
    case ACTOR_OP_TSC_CALIBRATE: r = gpcrace_probe_tsc_calibrate(ctl->arg[0]); break;
    case ACTOR_OP_CLOCK_USE: r = gpcrace_probe_clock_use(ctl->arg[0]); break;
    case ACTOR_OP_CLOCK_NOW: r = gpcrace_probe_clock_now_ns(); break;
    case ACTOR_OP_PROBE_RUN: r = probe_run(ctl, base, shared_bytes); break;
    case ACTOR_OP_PLAIN_DONTNEED: r = gpcrace_probe_plain_dontneed(ctl->arg[0], ctl->arg[1], (int)ctl->arg[2]); break;
    case ACTOR_OP_GPC_CREATE: r = gpc_create(ctl, base); break;
    case ACTOR_OP_GPC_DELAYS: {
        struct gpcrace_gpc_run *run = (void *)(intptr_t)ctl->arg[0];
        r = readers_of(run) ? gpcrace_gpc_set_delay_range(run, ctl->arg[1], ctl->arg[2]) : -EINVAL;
        break;
    }
    case ACTOR_OP_GPC_ARM: {
        uint64_t off = (uint64_t)ctl->arg[2];
        uint64_t rounds = (uint64_t)ctl->arg[1];
        struct gpcrace_gpc_run *run = (void *)(intptr_t)ctl->arg[0];
        uint32_t readers = readers_of(run);
        if (!readers) { r = -EINVAL; break; }
        /* the records must fit the data area */
        uint64_t bytes = gpcrace_gpc_round_bytes(readers);
        if (off < ACTOR_DATA_OFF || off > shared_bytes || rounds > (shared_bytes - off) / bytes) { r = -EINVAL; break; }
        r = gpcrace_gpc_arm_batch(run, rounds, base + off, (int)ctl->arg[3]);
        break;
    }
    case ACTOR_OP_GPC_RUN_BATCH: r = gpc_run_batch(ctl); break;
    case ACTOR_OP_GPC_DESTROY: {
        struct gpcrace_gpc_run *run = (void *)(intptr_t)ctl->arg[0];
        if (!readers_of(run)) { r = -EINVAL; break; }
        forget_run(run);
        gpcrace_gpc_destroy(run);
        break;
    }
    default:
        if (ctl->op >= ACTOR_OP_MMAP && ctl->op <= ACTOR_OP_CLOSE) r = actor_memory_op(ctl);
        else r = -ENOSYS;
    }
    ctl->ret[0] = r;
}

int actor_serve(void *base, uint64_t shared_bytes, int (*parent_alive)(void))
{
    struct actor_ctl *ctl = base;
    uint32_t done = __atomic_load_n(&ctl->req, __ATOMIC_ACQUIRE);
    __atomic_store_n(&ctl->ack, done, __ATOMIC_RELEASE);
    __atomic_store_n(&ctl->ready, 1u, __ATOMIC_RELEASE);
    sync_futex_wake_shared(&ctl->ready, 1);
    for (;;) {
        uint32_t req = __atomic_load_n(&ctl->req, __ATOMIC_ACQUIRE);
        if (req == done) {
            sync_futex_wait_shared(&ctl->req, done, ACTOR_IDLE_TICK_NS);
            if (__atomic_load_n(&ctl->req, __ATOMIC_ACQUIRE) == done && parent_alive && !parent_alive()) return 1;
            continue;
        }
        int op = ctl->op;
        actor_dispatch(ctl, base, shared_bytes);
        done = req;
        __atomic_store_n(&ctl->ack, req, __ATOMIC_RELEASE);
        sync_futex_wake_shared(&ctl->ack, 1);
        if (op == ACTOR_OP_EXIT) return 0;
    }
}

/* SIGUSR1 from Java (RaceNative.abort): every run's batch ends as if its watchdog fired.
 * Async-signal-safe: gpcrace_gpc_abort is an atomic store and a futex wake. */
void actor_abort_all(void)
{
    for (int i = 0; i < ACTOR_MAX_RUNS; i++) {
        struct gpcrace_gpc_run *run = __atomic_load_n(&runs[i].run, __ATOMIC_ACQUIRE);
        if (run) gpcrace_gpc_abort(run);
    }
}
