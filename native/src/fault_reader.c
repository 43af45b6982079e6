/*
 * fault_reader.c - gpcrace_fr_run: one fault-in-reader run (gpcrace.h, section "fault").
 * Sets up the RCU domain(s), the migratable pages (each word 0 = its tag) and their holders,
 * a userfaultfd on them (MISSING mode; the faulting thread's id in each message; SIGBUS instead
 * of waiting for WAIT_OUTSIDE; UFFDIO_MOVE where the kernel has it), then runs the readers, the
 * migrator, the watchdog and (SRCU variants) the reclaimer on threads of their own, and fills
 * the result. One run at a time per process (the SIGBUS handler and the SRCU table are global).
 */
#define _GNU_SOURCE
#include "fault_reader.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LOAD(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)

static uint32_t active;

static int invalid(struct gpcrace_fr_result *out, const char *why)
{
    out->err = EINVAL;
    snprintf(out->error, sizeof(out->error), "%s", why);
    return -EINVAL;
}

static int validate(const struct gpcrace_fr_config *c, struct gpcrace_fr_result *out)
{
    if (c->variant >= GPCRACE_FR_VARIANTS) return invalid(out, "unknown variant");
    if (c->rcu > GPCRACE_FR_RCU_GPCRACE) return invalid(out, "unknown RCU implementation");
    if (c->readers < 1 || c->readers > GPCRACE_FR_MAX_READERS) return invalid(out, "readers must be 1..16");
    if (c->pages < 2 || c->pages > GPCRACE_FR_MAX_PAGES) return invalid(out, "pages per batch must be 2..32");
    if (c->batches < 1) return invalid(out, "batches must be > 0");
    if (c->stall_bound_ns <= 0 || c->hang_ns < c->stall_bound_ns) return invalid(out, "need 0 < stall bound <= hang limit");
    if (c->gap_ns < 0) return invalid(out, "the gap between batches must be >= 0");
    if (c->sample_cap < 0 || (c->sample_cap > 0 && !c->samples)) return invalid(out, "no sample buffer");
    if (!c->batch_flags) return invalid(out, "no batch buffer");
    return 0;
}

/* A missing capability: recorded so Java can skip with the fix. */
static int missing(struct gpcrace_fr_result *out, int what, int err, const char *why)
{
    out->missing = what;
    out->err = err;
    snprintf(out->error, sizeof(out->error), "%s: %s", why, strerror(err));
    return -err;
}

/* userfaultfd with the features the variant needs; UFFDIO_MOVE when offered. */
static int open_uffd(struct fr_run *r)
{
    uint64_t need = UFFD_FEATURE_THREAD_ID | (r->cfg.variant == GPCRACE_FR_WAIT_OUTSIDE ? UFFD_FEATURE_SIGBUS : 0);
    for (int attempt = 0; attempt < 2; attempt++) {
        int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
        if (fd < 0 && errno == EINVAL) fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) return missing(r->out, GPCRACE_FR_MISSING_UFFD, errno, "userfaultfd");
        struct uffdio_api api = {.api = UFFD_API, .features = need | (attempt == 0 ? UFFD_FEATURE_MOVE : 0)};
        if (ioctl(fd, UFFDIO_API, &api) == 0) {
            r->uffd = fd;
            r->use_move = attempt == 0;
            return 0;
        }
        int e = errno;
        close(fd);
        if (attempt == 1) return missing(r->out, GPCRACE_FR_MISSING_FEATURE, e, "UFFDIO_API (UFFD_FEATURE_THREAD_ID, UFFD_FEATURE_SIGBUS)");
    }
    return -EINVAL;
}

static int uffd_register(struct fr_run *r, char *p, uint64_t len)
{
    struct uffdio_register reg = {.range = {.start = (uint64_t)(uintptr_t)p, .len = len}, .mode = UFFDIO_REGISTER_MODE_MISSING};
    if (ioctl(r->uffd, UFFDIO_REGISTER, &reg) == 0) return 0;
    return missing(r->out, GPCRACE_FR_MISSING_UFFD, errno, "UFFDIO_REGISTER (MISSING)");
}

static char *map_pages(uint64_t bytes)
{
    char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    madvise(p, bytes, MADV_NOHUGEPAGE); /* 4 KiB frames: each page moves alone */
    return p;
}

static int setup(struct fr_run *r)
{
    struct gpcrace_fr_result *out = r->out;
    int rc = fr_rcu_open((int)r->cfg.rcu, r->global_srcu, r->cfg.readers, &r->abort, &r->rcu, out->rcu_impl,
                         sizeof(out->rcu_impl), out->error, sizeof(out->error));
    if (rc) {
        out->missing = rc == -ENOENT ? GPCRACE_FR_MISSING_URCU : 0;
        out->err = -rc;
        return rc;
    }
    sync_srcu_init(r->domain, r->cfg.readers, &r->abort);
    r->region_bytes = (uint64_t)r->cfg.pages * FR_PAGE;
    r->region = map_pages(r->region_bytes);
    r->holder = map_pages(r->region_bytes);
    if (!r->region || !r->holder) return missing(out, 0, ENOMEM, "mmap");
    for (uint32_t i = 0; i < r->cfg.pages; i++) {
        uint64_t *w = (uint64_t *)(r->region + i * FR_PAGE);
        for (uint64_t k = 0; k < FR_PAGE / 8; k++) w[k] = FR_TAG(i) ^ k;
        w[0] = FR_TAG(i);
        r->pages[i].present = 1;
    }
    if ((rc = open_uffd(r))) return rc;
    snprintf(out->unmap, sizeof(out->unmap), "%s", r->use_move ? "UFFDIO_MOVE" : "MADV_DONTNEED");
    if ((rc = uffd_register(r, r->region, r->region_bytes))) return rc;
    /* UFFDIO_MOVE's destination must be registered too; nothing faults there */
    if (r->use_move && (rc = uffd_register(r, r->holder, r->region_bytes))) return rc;
    if (r->cfg.variant == GPCRACE_FR_WAIT_OUTSIDE) {
        rc = fr_sigbus_install(r, (uint64_t)(uintptr_t)r->region, (uint64_t)(uintptr_t)r->region + r->region_bytes);
        if (rc) return missing(out, 0, -rc, "SIGBUS handler");
    }
    return 0;
}

static int start(pthread_t *t, void *(*fn)(void *), void *arg, struct fr_run *r)
{
    int e = pthread_create(t, NULL, fn, arg);
    if (e) fr_fail(r, e, "pthread_create");
    return e == 0;
}

static void run_threads(struct fr_run *r)
{
    pthread_t readers[GPCRACE_FR_MAX_READERS], migrator, watchdog, reclaimer;
    int have_readers = 0, have_migrator = 0, have_reclaimer = 0;
    int deferred = r->cfg.variant == GPCRACE_FR_SRCU_DOMAIN || r->cfg.variant == GPCRACE_FR_SRCU_BUSTED;
    r->start_ns = mono_ns();
    int have_watchdog = start(&watchdog, fr_watchdog_main, r, r);
    if (have_watchdog && deferred) have_reclaimer = start(&reclaimer, fr_reclaimer_main, r, r);
    for (uint32_t i = 0; i < r->cfg.readers && !LOAD(&r->abort); i++) {
        struct fr_reader *rd = &r->readers[i];
        rd->index = i;
        rd->run = r;
        rd->cpu = r->cfg.cpus[1 + i];
        rd->access_page = -1;
        rd->fault_event_page = -1;
        if (start(&readers[i], fr_reader_main, rd, r)) have_readers++;
    }
    if (!LOAD(&r->abort)) have_migrator = start(&migrator, fr_migrator_main, r, r);
    if (have_migrator) pthread_join(migrator, NULL);
    STORE(&r->done, 1u);
    /* after a failure mid-batch, readers may wait on unmapped pages: map them all */
    for (uint32_t i = 0; i < r->cfg.pages; i++) if (!LOAD(&r->pages[i].present)) fr_complete_page(r, (int)i);
    for (int i = 0; i < have_readers; i++) pthread_join(readers[i], NULL);
    if (have_reclaimer) {
        STORE(&r->abort, 1u);  /* ends a wait of the separate domain, if any is left */
        __atomic_add_fetch(&r->reclaim_wake, 1u, __ATOMIC_SEQ_CST);
        sync_futex_wake(&r->reclaim_wake, 1);
        pthread_join(reclaimer, NULL);
    }
    STORE(&r->watchdog_stop, 1u);
    if (have_watchdog) pthread_join(watchdog, NULL);
    r->out->elapsed_ns = mono_ns() - r->start_ns;
}

static void teardown(struct fr_run *r)
{
    if (r->cfg.variant == GPCRACE_FR_WAIT_OUTSIDE) fr_sigbus_remove();
    if (r->uffd >= 0) close(r->uffd);
    if (r->region) munmap(r->region, r->region_bytes);
    if (r->holder) munmap(r->holder, r->region_bytes);
    free(r->domain);
    free(r->global_srcu);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

int gpcrace_fr_run(struct gpcrace_fr_config *cfg, struct gpcrace_fr_result *out)
{
    memset(out, 0, sizeof(*out));
    out->first_deadlock_ns = -1;
    int rc = validate(cfg, out);
    if (rc) return rc;
    if (__atomic_exchange_n(&active, 1u, __ATOMIC_SEQ_CST)) {
        out->err = EBUSY;
        snprintf(out->error, sizeof(out->error), "another fault-in-reader run is in progress in this process");
        return -EBUSY;
    }
    struct fr_run *r = aligned_alloc(64, (sizeof(*r) + 63) / 64 * 64);
    if (!r) { __atomic_store_n(&active, 0u, __ATOMIC_SEQ_CST); return -ENOMEM; }
    memset(r, 0, sizeof(*r));
    r->cfg = *cfg;
    r->stop = &cfg->stop;
    r->out = out;
    r->uffd = -1;
    r->samples = (int64_t *)(uintptr_t)cfg->samples;
    r->batch_flags = (uint32_t *)(uintptr_t)cfg->batch_flags;
    memset(r->batch_flags, 0, (size_t)cfg->batches * sizeof(uint32_t));
    pthread_mutex_init(&r->lock, NULL);
    r->domain = aligned_alloc(64, sizeof(struct sync_srcu));
    r->global_srcu = aligned_alloc(64, sizeof(struct sync_srcu));
    if (!r->domain || !r->global_srcu) rc = -ENOMEM;
    else rc = setup(r);
    if (rc == 0) {
        run_threads(r);
        if (out->err) rc = -out->err;
        for (uint32_t i = 0; i < cfg->readers; i++) {
            out->sections += r->readers[i].sections;
            out->sigbus += r->readers[i].sigbus;
            out->retries += r->readers[i].retries;
            out->corrupt_reads += r->readers[i].corrupt;
        }
    }
    teardown(r);
    __atomic_store_n(&active, 0u, __ATOMIC_SEQ_CST);
    return rc;
}
