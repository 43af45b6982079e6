/*
 * actor.h - the actor process and its control block.
 *
 * gpcrace-actor is a small C process the Java side spawns so that the address space (mm) the
 * latency probes and the GPC race measure holds only the actor threads: no JIT or GC thread can
 * run in it, so no madvise of the measured range pays a TLB-shootdown IPI to a CPU that runs a
 * JVM thread. Java and the actor share one memfd, the control block: a header (this struct),
 * an area for the config struct of a call (gpcrace_probe_cfg, gpcrace_gpc_config), one for its
 * out struct (gpcrace_probe_out), and a data area (sample buffers, round records).
 *
 * One request at a time: Java writes op and args, then increments req and wakes it (a shared
 * futex: two processes); the actor runs the op, writes ret/err, stores ack = req and wakes ack.
 * While idle the actor waits on req with a 100 ms timeout and then checks that its parent is
 * alive (the stdin pipe, whose write end only the JVM holds, hangs up when the JVM dies), as
 * well as PR_SET_PDEATHSIG: no actor outlives the JVM that spawned it.
 *
 * The layout is fixed; the actor writes the offsets of its fields in layout[] at attach and Java
 * refuses a control block whose offsets differ from its own (org.gpcrace.bridge.actor).
 */
#ifndef GPCRACE_ACTOR_H
#define GPCRACE_ACTOR_H
#include "gpcrace.h"

#include <stdint.h>

#define ACTOR_MAGIC 0x3174636172637067ULL /* "gpcract1" little-endian */
#define ACTOR_VERSION 1

#define ACTOR_CTL_BYTES 4096
#define ACTOR_CFG_OFF 4096            /* the call's config struct */
#define ACTOR_CFG_BYTES 8192
#define ACTOR_OUT_OFF 12288           /* the call's out struct */
#define ACTOR_OUT_BYTES 4096
#define ACTOR_DATA_OFF 65536          /* sample buffers, round records: up to the memfd's end */
#define ACTOR_ERR_BYTES 1024
#define ACTOR_STR_BYTES 256
#define ACTOR_CPU_WORDS 16            /* CPUs 0..1023 */
#define ACTOR_IDLE_TICK_NS 100000000LL

/* Requests. Arguments and results are int64; a negative ret[0] is -errno unless said otherwise. */
enum actor_op {
    ACTOR_OP_NONE = 0,
    ACTOR_OP_HELLO,           /* ret: pid, abi version; str: gpcrace_version() */
    ACTOR_OP_EXIT,            /* the actor leaves after acknowledging */
    ACTOR_OP_PIN,             /* arg: cpu (-1: every allowed CPU): the main thread's home CPU between calls */
    /* memory, in the actor's address space */
    ACTOR_OP_MMAP,            /* arg: addr, len, prot, flags, fd, offset; ret: address */
    ACTOR_OP_MUNMAP,          /* arg: addr, len */
    ACTOR_OP_MADVISE,         /* arg: addr, len, advice */
    ACTOR_OP_MPROTECT,        /* arg: addr, len, prot */
    ACTOR_OP_MLOCK,           /* arg: addr, len, 1 lock / 0 unlock */
    ACTOR_OP_MEMFD_CREATE,    /* str: name; arg: flags; ret: fd */
    ACTOR_OP_FTRUNCATE,       /* arg: fd, len */
    ACTOR_OP_FALLOCATE,       /* arg: fd, mode, offset, len */
    ACTOR_OP_CLOSE,           /* arg: fd */
    /* probes (gpcrace.h, probe section): cfg at ACTOR_CFG_OFF, out at ACTOR_OUT_OFF */
    ACTOR_OP_TSC_CALIBRATE,   /* arg: window ns; ret: Hz */
    ACTOR_OP_CLOCK_USE,       /* arg: Hz; ret: 1 TSC, 0 CLOCK_MONOTONIC */
    ACTOR_OP_CLOCK_NOW,       /* ret: ns on the probe clock */
    ACTOR_OP_PROBE_RUN,       /* arg: probe, n, data offset of the samples; ret: n or -errno; ret[1..]: CPUs seen (cpus[]) */
    ACTOR_OP_PLAIN_DONTNEED,  /* arg: addr, n, cpu; ret: ns or -errno */
    /* the race engine (gpcrace.h, gpc section): config at ACTOR_CFG_OFF */
    ACTOR_OP_GPC_CREATE,      /* ret: 0 or -errno, ret[1]: run handle; err: the reason */
    ACTOR_OP_GPC_DELAYS,      /* arg: run, min, max */
    ACTOR_OP_GPC_ARM,         /* arg: run, rounds, data offset of the records, mode */
    ACTOR_OP_GPC_RUN_BATCH,   /* arg: run; ret: status, batch_done; actor_cpu[]; err: last error */
    ACTOR_OP_GPC_DESTROY,     /* arg: run */
    ACTOR_OP_COUNT
};

struct actor_ctl {
    uint64_t magic;
    uint32_t version;
    uint32_t ready;                  /* 1 once attached (a futex Java waits on at spawn) */
    uint32_t req;                    /* request number, written by Java (futex) */
    uint32_t ack;                    /* last request done, written by the actor (futex) */
    int32_t op;
    int32_t pid;                     /* the actor's pid */
    int64_t arg[8];
    int64_t ret[8];
    uint64_t data_bytes;             /* bytes of the data area */
    uint64_t cpus[ACTOR_CPU_WORDS];  /* CPUs an actor thread was seen on during the last call */
    int32_t actor_cpu[GPCRACE_GPC_MAX_ACTORS]; /* gpc: gpcrace_gpc_actor_cpu after the last batch */
    int32_t threads;                 /* threads of the actor process during the last call, at most */
    int32_t layout_count;
    int64_t layout[16];              /* offsets of the fields above, for Java's check */
    char str[ACTOR_STR_BYTES];       /* a short string argument or result */
    char err[ACTOR_ERR_BYTES];       /* why the last call failed (empty when it did not) */
};

_Static_assert(sizeof(struct actor_ctl) <= ACTOR_CTL_BYTES, "control block header fits its page");
_Static_assert(sizeof(struct gpcrace_probe_cfg) <= ACTOR_CFG_BYTES, "probe config fits");
_Static_assert(sizeof(struct gpcrace_gpc_config) <= ACTOR_CFG_BYTES, "gpc config fits");
_Static_assert(sizeof(struct gpcrace_probe_out) <= ACTOR_OUT_BYTES, "probe out fits");

/* Fills magic, version and layout[] (what Java checks). */
void actor_ctl_init(struct actor_ctl *ctl, uint64_t shared_bytes);

/*
 * Serves requests on the control block at base (shared_bytes long) until ACTOR_OP_EXIT or until
 * parent_alive() returns 0 (checked every ACTOR_IDLE_TICK_NS while idle). Returns 0 on EXIT,
 * 1 when the parent went away.
 */
int actor_serve(void *base, uint64_t shared_bytes, int (*parent_alive)(void));

/* Runs one request (op and args already in ctl). Sets ret/err. */
void actor_dispatch(struct actor_ctl *ctl, uint8_t *base, uint64_t shared_bytes);

/* Aborts the batch of every run (the SIGUSR1 handler). */
void actor_abort_all(void);

/* The memory requests (actor_memory.c). */
int64_t actor_memory_op(struct actor_ctl *ctl);

#endif
