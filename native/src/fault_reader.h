/*
 * fault_reader.h - internal: the fault-in-reader run (gpcrace.h, section "fault"), shared by
 *   fault_reader.c          the run: memory, userfaultfd, threads, results
 *   fault_reader_actors.c   the readers, the migrator, the reclaimer
 *   fault_reader_watchdog.c fault messages, the wait-cycle check, breaking a cycle or a hang
 *   fault_reader_rcu.c      the global RCU domain: liburcu (dlopen'd) or the project's SRCU
 *   fault_reader_sigbus.c   the SIGBUS guard of WAIT_OUTSIDE (pagefault_disable())
 */
#ifndef GPCRACE_FAULT_READER_H
#define GPCRACE_FAULT_READER_H
#include "gpcrace.h"
#include "sync.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <linux/userfaultfd.h>

/* UFFDIO_MOVE (Linux 6.8) where the uapi headers predate it: the kernel's ABI */
#ifndef UFFD_FEATURE_MOVE
#define UFFD_FEATURE_MOVE (1 << 16)
#endif
#ifndef UFFDIO_MOVE
struct uffdio_move {
    __u64 dst;
    __u64 src;
    __u64 len;
    __u64 mode;
    __s64 move;
};
#define UFFDIO_MOVE _IOWR(UFFDIO, 0x05, struct uffdio_move)
#endif

#define FR_PAGE 4096UL
#define FR_TAG(page) (0xfa0170000000000ULL | (uint64_t)(page)) /* word 0 of each page: who it is */

/* ------------------------------------------------ fault_reader_rcu.c: the global domain */
/* One RCU implementation behind a table, so every variant runs on liburcu or on the
 * project's SRCU alike. read_lock returns what read_unlock needs (the SRCU slot; 0 for liburcu). */
struct fr_rcu {
    const char *name;
    void (*register_thread)(void);
    void (*unregister_thread)(void);
    int (*read_lock)(int reader);
    void (*read_unlock)(int reader, int idx);
    void (*synchronize)(void);
};
/* Loads the implementation (dlopen for liburcu; gpcrace: the SRCU at `srcu`, initialized here).
 * 0, or -ENOENT with why in err. */
int fr_rcu_open(int kind, struct sync_srcu *srcu, uint32_t readers, const uint32_t *abort, struct fr_rcu *out,
                char *desc, uint64_t desclen, char *err, uint64_t errlen);

/* ------------------------------------------------ fault_reader_sigbus.c */
struct fr_run;
/* SIGBUS on an address of [lo, hi) by a reader of `run` that armed its jump buffer (armed = 1)
 * jumps back there; any other SIGBUS goes to the handler installed before. 0, -EBUSY, -errno. */
int fr_sigbus_install(struct fr_run *run, uint64_t lo, uint64_t hi);
void fr_sigbus_remove(void);

/* ------------------------------------------------ the run's shared state */
struct fr_page {
    uint32_t present;          /* the page is mapped (readers do not fault) */
    uint32_t gen;              /* futex word: bumped each time the page is mapped */
    int64_t unmapped_ns;       /* when it was last unmapped */
};

struct fr_reader {
    uint32_t index;
    uint32_t in_cs;            /* inside a read-side section */
    int32_t tid;
    int32_t access_page;       /* page being touched, -1: none */
    int64_t cs_enter_ns;       /* stamped after read_lock returned */
    int64_t access_ns;         /* stamped before the access */
    int64_t fault_event_ns;    /* the watchdog read a fault message of this reader ... */
    int32_t fault_event_page;  /* ... on this page (-1: none since the last access) */
    uint32_t armed;            /* WAIT_OUTSIDE: a SIGBUS in the range jumps to jb */
    int64_t sections, sigbus, retries, corrupt;
    sigjmp_buf jb;
    struct fr_run *run;
    int cpu;
} __attribute__((aligned(64)));

struct fr_run {
    struct gpcrace_fr_config cfg;
    const uint32_t *stop;      /* the caller's cfg->stop (Java writes it during the run) */
    struct gpcrace_fr_result *out;
    struct fr_rcu rcu;
    struct sync_srcu *domain;  /* SRCU_DOMAIN/SRCU_BUSTED: the separate domain; GPCRACE_FR_RCU_GPCRACE: also the global one */
    struct sync_srcu *global_srcu;
    int uffd;
    int use_move;              /* unmap by UFFDIO_MOVE of the old frame to its holder page */
    char *region;              /* the migratable pages, uffd-registered */
    char *holder;              /* where each old frame waits for its grace period */
    uint64_t region_bytes;
    struct fr_page pages[GPCRACE_FR_MAX_PAGES];
    struct fr_reader readers[GPCRACE_FR_MAX_READERS];
    int64_t start_ns;
    uint32_t abort;            /* every actor ends (a failure, or the end) */
    uint32_t done;             /* the migrator finished: readers end */
    uint32_t readers_ready;
    uint32_t watchdog_stop;
    /* the migrator, as the watchdog sees it */
    uint32_t in_gp;            /* in synchronize of the global domain */
    uint32_t gp_breaks;        /* faults the watchdog completed during this grace period */
    uint32_t gp_hang;          /* this grace period was broken as a hang */
    int64_t gp_start_ns;
    int64_t last_break_ns;
    int64_t batch;             /* 0-based batch in progress */
    uint32_t *batch_flags;
    int64_t *samples;
    /* the reclaimer (SRCU_DOMAIN, SRCU_BUSTED): old frames queued for the domain's grace period */
    uint32_t queued;           /* frames waiting, bit per page */
    uint32_t queued_total;     /* frames ever queued */
    uint32_t freed;            /* futex: frames freed by the reclaimer */
    uint32_t reclaim_wake;     /* futex: bumped when frames are queued or the run ends */
    uint32_t fail_once;
    pthread_mutex_t lock;      /* serializes completing a page: the migrator or the watchdog */
};

/* fault_reader_actors.c */
void *fr_reader_main(void *arg);
void *fr_migrator_main(void *arg);
void *fr_reclaimer_main(void *arg);
/* Maps page i again with its saved content (UFFDIO_COPY), unless already mapped; wakes the
 * readers. 1 when this call mapped it, 0 when it was mapped already, -errno. */
int fr_complete_page(struct fr_run *r, int i);
/* Records a sample of a series; keeps the first sample_cap. */
void fr_sample(struct fr_run *r, int series, int64_t ns);
void fr_flag(struct fr_run *r, uint32_t flag);
/* A failure: the first one's text is kept and the run aborts. */
void fr_fail(struct fr_run *r, int err, const char *what);
void fr_pin(int cpu);

/* fault_reader_watchdog.c */
void *fr_watchdog_main(void *arg);
#endif
