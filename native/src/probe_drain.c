/*
 * probe: drain — the notifier-start step of a protocol while R readers keep entering their
 * read-side sections (each holds it cfg->delay_ns, then re-enters at once), on the race
 * engine's own primitives (sync_rwlock.c, sync_srcu.c):
 *   rwlock spin / sleeping: sync_rwlock_write_lock(GPCRACE_WAIT_SLEEP) — the writer
 *     announces itself and waits for the readers inside (spinning, or asleep on a futex);
 *   seqcount-srcu: sync_srcu_synchronize(GPCRACE_WAIT_SLEEP) — both slots drained.
 * Before each step every reader has entered a fresh section, and the caller waits half a hold,
 * so the step lands inside the readers' sections. out->anomalies: steps that had to wait.
 */
#include "probe_common.h"
#include "sync.h"

#include <stdlib.h>
#include <string.h>

struct drain_reader {
    uint64_t entries __attribute__((aligned(64)));
};

struct drain_ctl {
    struct sync_rwlock lock;
    struct sync_srcu *srcu;
    int kind;
    int64_t hold_ns;
    int stop __attribute__((aligned(64)));
    int err;
    struct drain_reader readers[GPCRACE_PROBE_MAX_HELPERS];
};

struct drain_arg {
    struct drain_ctl *c;
    int r;
};

static void *drain_reader(void *arg)
{
    struct drain_arg *a = arg;
    struct drain_ctl *c = a->c;
    int r = a->r;
    while (!LOAD_ACQ(&c->stop)) {
        int idx = 0;
        if (c->kind == GPCRACE_PDRAIN_SRCU) {
            idx = sync_srcu_read_lock(c->srcu, r);
        } else if (sync_rwlock_read_lock(&c->lock) < 0) {
            c->err = ECANCELED;
            break;
        }
        __atomic_store_n(&c->readers[r].entries, c->readers[r].entries + 1, __ATOMIC_RELEASE);
        probe_spin_ns(c->hold_ns);
        if (c->kind == GPCRACE_PDRAIN_SRCU) sync_srcu_read_unlock(c->srcu, r, idx);
        else sync_rwlock_read_unlock(&c->lock);
    }
    return NULL;
}

/* Waits (bounded) until every reader has entered a section after the snapshot in seen[]. */
static void wait_fresh_sections(struct drain_ctl *c, int n, uint64_t *seen)
{
    int64_t deadline = mono_ns() + 1000000000LL;
    for (int r = 0; r < n; r++) {
        while (LOAD_ACQ(&c->readers[r].entries) <= seen[r] && mono_ns() < deadline) probe_pause();
        seen[r] = LOAD_ACQ(&c->readers[r].entries);
    }
}

int64_t probe_drain(const struct gpcrace_probe_cfg *cfg, int64_t *samples, int64_t n,
                    struct gpcrace_probe_out *out)
{
    int nr = cfg->nhelpers;
    if (cfg->variant < GPCRACE_PDRAIN_RWLOCK_SPIN || cfg->variant > GPCRACE_PDRAIN_SRCU
        || (cfg->variant == GPCRACE_PDRAIN_SRCU && nr > SYNC_SRCU_MAX_READERS))
        return probe_fail(out, GPCRACE_PCALL_ARGUMENT, EINVAL);
    struct drain_ctl *c = aligned_alloc(64, sizeof(*c));
    struct sync_srcu *sp = aligned_alloc(64, sizeof(*sp));
    struct drain_arg *args = calloc((size_t)(nr > 0 ? nr : 1), sizeof(*args));
    pthread_t *threads = calloc((size_t)(nr > 0 ? nr : 1), sizeof(*threads));
    uint64_t *seen = calloc((size_t)(nr > 0 ? nr : 1), sizeof(*seen));
    int64_t r = n;
    int started = 0;
    if (!c || !sp || !args || !threads || !seen) { r = probe_fail(out, GPCRACE_PCALL_ARGUMENT, ENOMEM); goto done; }
    memset(c, 0, sizeof(*c));
    c->kind = cfg->variant;
    c->hold_ns = cfg->delay_ns > 0 ? cfg->delay_ns : 1000;
    c->srcu = sp;
    sync_rwlock_init(&c->lock, c->kind == GPCRACE_PDRAIN_RWLOCK_SLEEPING ? GPCRACE_RWLOCK_SLEEPING : GPCRACE_RWLOCK_SPIN, NULL);
    sync_srcu_init(sp, (uint32_t)(nr > 0 ? nr : 1), NULL);
    for (int i = 0; i < nr; i++) {
        args[i] = (struct drain_arg){c, i};
        int err = probe_thread_start(&threads[i], cfg->helper_cpus[i], drain_reader, &args[i]);
        if (err) { r = probe_fail(out, GPCRACE_PCALL_PTHREAD_CREATE, err); goto done; }
        started++;
    }
    uint64_t first = 0, last = 0;
    for (int64_t i = 0; i < n; i++) {
        wait_fresh_sections(c, nr, seen);
        if (nr > 0) probe_spin_ns(c->hold_ns / 2);
        uint64_t t0 = probe_begin();
        int w = c->kind == GPCRACE_PDRAIN_SRCU ? sync_srcu_synchronize(sp, GPCRACE_WAIT_SLEEP)
                                               : sync_rwlock_write_lock(&c->lock, GPCRACE_WAIT_SLEEP);
        uint64_t t1 = probe_end();
        if (w < 0) { r = probe_fail(out, GPCRACE_PCALL_SYNC, -w); break; }
        if (c->kind != GPCRACE_PDRAIN_SRCU) sync_rwlock_write_unlock(&c->lock);
        if (w == 1) out->anomalies++;
        samples[i] = (int64_t)(t1 - t0);
        if (i == 0) first = t0;
        last = t1;
    }
    if (r >= 0) {
        for (int64_t i = 0; i < n; i++) samples[i] = probe_ns(samples[i]);
        out->elapsed_ns = probe_ns((int64_t)(last - first));
    }
done:
    if (c) {
        STORE_REL(&c->stop, 1);
        for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);
        if (r >= 0 && c->err) r = probe_fail(out, GPCRACE_PCALL_SYNC, c->err);
    }
    free(seen);
    free(threads);
    free(args);
    free(sp);
    free(c);
    return r;
}
