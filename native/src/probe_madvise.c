/*
 * probe: madvise — the latency of one invalidation source over a range, alone or followed by
 * the refault of every page, while spinner threads on other CPUs keep reading the range (so
 * the mm is live in their TLBs and the zap must shoot their translations down).
 */
#include "probe_common.h"
#include "compat.h"

#include <stdlib.h>
#include <sys/mman.h>

struct spinners {
    const char *addr;
    int64_t len;
    int stop __attribute__((aligned(64)));
    int running __attribute__((aligned(64))); /* spinners that finished one full pass */
    int n;
    pthread_t threads[GPCRACE_PROBE_MAX_HELPERS];
};

static void *spin_reader(void *arg)
{
    struct spinners *s = arg;
    int counted = 0;
    while (!LOAD_ACQ(&s->stop)) {
        for (int64_t off = 0; off < s->len && !LOAD_ACQ(&s->stop); off += PROBE_PAGE)
            (void)*(volatile const char *)(s->addr + off);
        if (!counted) {
            counted = 1;
            __atomic_add_fetch(&s->running, 1, __ATOMIC_RELEASE);
        }
    }
    if (!counted) __atomic_add_fetch(&s->running, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* Starts cfg->nhelpers spinners and waits until each has read the whole range once. */
static int spinners_start(struct spinners *s, const struct gpcrace_probe_cfg *cfg)
{
    s->addr = (const char *)(intptr_t)cfg->addr;
    s->len = cfg->length;
    s->stop = 0;
    s->running = 0;
    s->n = 0;
    for (int i = 0; i < cfg->nhelpers; i++) {
        int err = probe_thread_start(&s->threads[i], cfg->helper_cpus[i], spin_reader, s);
        if (err) return err;
        s->n++;
    }
    while (LOAD_ACQ(&s->running) < s->n) probe_pause();
    return 0;
}

static void spinners_stop(struct spinners *s)
{
    STORE_REL(&s->stop, 1);
    for (int i = 0; i < s->n; i++) pthread_join(s->threads[i], NULL);
    s->n = 0;
}

/* The madvise advice of a source, or -1 for the sources that are other calls. */
static int advice_of(int source)
{
    switch (source) {
    case GPCRACE_PSRC_DONTNEED: return MADV_DONTNEED;
    case GPCRACE_PSRC_FREE: return MADV_FREE;
    case GPCRACE_PSRC_REMOVE: return MADV_REMOVE;
    case GPCRACE_PSRC_PAGEOUT: return MADV_PAGEOUT;
    case GPCRACE_PSRC_COLD: return MADV_COLD;
    case GPCRACE_PSRC_COLLAPSE: return MADV_COLLAPSE;
    default: return -1;
    }
}

/*
 * "op" of a madvise source that a write touch repopulates (all but collapse): the loop a plain C
 * reference has, { touch; stamp; madvise; stamp }, with the advice and length chosen before it;
 * "op+refault" chained: { madvise; touch; stamp }, one stamp per iteration.
 * Code run between the system call's return and the end stamp is part of the sample, and its lines
 * may be cold then: this loop runs none of the general loop's switch, indirect jump and calls there,
 * so the sample holds what gpcrace-plain's does (README: "Isolation and fast start: measured").
 */
static int64_t op_loop_madvise(const struct gpcrace_probe_cfg *cfg, char *p, int64_t *samples, int64_t n,
                               struct gpcrace_probe_out *out, uint64_t *first, uint64_t *last)
{
    const int advice = advice_of(cfg->source);
    const size_t len = (cfg->flags & GPCRACE_PFLAG_EMPTY_RANGE) ? 0 : (size_t)cfg->length;
    const int64_t touch = cfg->length;
    *first = probe_end();
    *last = *first;
    if (cfg->mode == GPCRACE_PMODE_OP_REFAULT) {
        uint64_t prev = *first;
        for (int64_t i = 0; i < n; i++) {
            int rc = madvise(p, len, advice);
            probe_touch(p, touch);
            uint64_t now = probe_end();
            if (rc) return probe_fail(out, GPCRACE_PCALL_MADVISE, errno);
            samples[i] = (int64_t)(now - prev);
            prev = now;
        }
        *last = prev;
        return n;
    }
    for (int64_t i = 0; i < n; i++) {
        if (i > 0) probe_touch(p, touch);
        uint64_t t0 = probe_begin();
        int rc = madvise(p, len, advice);
        uint64_t t1 = probe_end();
        if (rc) return probe_fail(out, GPCRACE_PCALL_MADVISE, errno);
        samples[i] = (int64_t)(t1 - t0);
        *last = t1;
    }
    return n;
}

/* The timed operation. Returns 0 or the failing call (errno set). */
static int operation(const struct gpcrace_probe_cfg *cfg, char *p)
{
    size_t len = (cfg->flags & GPCRACE_PFLAG_EMPTY_RANGE) ? 0 : (size_t)cfg->length;
    switch (cfg->source) {
    case GPCRACE_PSRC_MPROTECT:
        return mprotect(p, len, PROT_READ) ? GPCRACE_PCALL_MPROTECT : 0;
    case GPCRACE_PSRC_REMAP: {
        int flags = MAP_FIXED | (cfg->fd >= 0 ? MAP_SHARED : MAP_PRIVATE | MAP_ANONYMOUS);
        void *r = mmap(p, len, PROT_READ | PROT_WRITE, flags, cfg->fd, cfg->fd >= 0 ? cfg->offset : 0);
        return r == MAP_FAILED ? GPCRACE_PCALL_MMAP : 0;
    }
    default: {
        int advice = advice_of(cfg->source);
        if (advice < 0) {
            errno = EINVAL;
            return GPCRACE_PCALL_ARGUMENT;
        }
        return madvise(p, len, advice) ? GPCRACE_PCALL_MADVISE : 0;
    }
    }
}

/* Undoes what must be undone before the range can be written again (timed in op+refault). */
static int restore(const struct gpcrace_probe_cfg *cfg, char *p)
{
    if (cfg->source == GPCRACE_PSRC_MPROTECT && mprotect(p, (size_t)cfg->length, PROT_READ | PROT_WRITE))
        return GPCRACE_PCALL_MPROTECT;
    return 0;
}

/* Untimed: brings the range back to small populated pages (the state the operation acts on). */
static int populate(const struct gpcrace_probe_cfg *cfg, char *p)
{
    size_t len = (size_t)cfg->length;
    if (cfg->source == GPCRACE_PSRC_COLLAPSE) {
        if ((cfg->flags & GPCRACE_PFLAG_THP_FLIP) && madvise(p, len, MADV_NOHUGEPAGE)) return GPCRACE_PCALL_MADVISE;
        if (madvise(p, len, MADV_DONTNEED)) return GPCRACE_PCALL_MADVISE;
        probe_touch(p, cfg->length);
        if ((cfg->flags & GPCRACE_PFLAG_THP_FLIP) && madvise(p, len, MADV_HUGEPAGE)) return GPCRACE_PCALL_MADVISE;
        return 0;
    }
    int c = restore(cfg, p);
    if (c) return c;
    probe_touch(p, cfg->length);
    return 0;
}

/*
 * "op" and "op+refault" of every other source (mprotect, remap, collapse): the operation through
 * operation()/restore()/populate(); collapse re-splits every iteration, so its op+refault is
 * timed with a start stamp too.
 */
static int64_t op_loop_general(const struct gpcrace_probe_cfg *cfg, char *p, int64_t *samples, int64_t n,
                               struct gpcrace_probe_out *out, uint64_t *first, uint64_t *last)
{
    const int chained = cfg->mode == GPCRACE_PMODE_OP_REFAULT && cfg->source != GPCRACE_PSRC_COLLAPSE;
    int c;
    *first = probe_end();
    uint64_t prev = *first;
    for (int64_t i = 0; i < n; i++) {
        if (chained) {
            /* one stamp per iteration: sample = operation + restore + touch, back to back */
            if ((c = operation(cfg, p)) || (c = restore(cfg, p))) return probe_fail(out, c, errno);
            probe_touch(p, cfg->length);
            uint64_t now = probe_end();
            samples[i] = (int64_t)(now - prev);
            prev = now;
            continue;
        }
        if (i > 0 && (c = populate(cfg, p))) return probe_fail(out, c, errno);
        uint64_t t0 = probe_begin();
        if ((c = operation(cfg, p))) return probe_fail(out, c, errno);
        if (cfg->mode == GPCRACE_PMODE_OP_REFAULT) {
            if ((c = restore(cfg, p))) return probe_fail(out, c, errno);
            probe_touch(p, cfg->length);
        }
        uint64_t t1 = probe_end();
        samples[i] = (int64_t)(t1 - t0);
        prev = t1;
    }
    *last = prev;
    return n;
}

/* Pages of the range still resident (mincore), or -1 with errno. */
static int64_t resident_pages(char *p, int64_t len)
{
    int64_t pages = len / PROBE_PAGE;
    unsigned char *vec = malloc((size_t)pages);
    if (!vec) return -1;
    int64_t r = -1;
    if (mincore(p, (size_t)len, vec) == 0) {
        r = 0;
        for (int64_t i = 0; i < pages; i++) r += vec[i] & 1;
    }
    free(vec);
    return r;
}

int64_t probe_madvise(const struct gpcrace_probe_cfg *cfg, int64_t *samples, int64_t n,
                      struct gpcrace_probe_out *out)
{
    char *p = (char *)(intptr_t)cfg->addr;
    if (!p || cfg->length <= 0 || cfg->length % PROBE_PAGE || cfg->source < 0 || cfg->source >= GPCRACE_PSRC_COUNT)
        return probe_fail(out, GPCRACE_PCALL_ARGUMENT, EINVAL);
    int c = populate(cfg, p);
    if (c) return probe_fail(out, c, errno);
    struct spinners *s = calloc(1, sizeof(*s));
    if (!s) return probe_fail(out, GPCRACE_PCALL_ARGUMENT, ENOMEM);
    int err = spinners_start(s, cfg);
    if (err) {
        spinners_stop(s);
        free(s);
        return probe_fail(out, GPCRACE_PCALL_PTHREAD_CREATE, err);
    }
    uint64_t first = 0, last = 0;
    int tight = advice_of(cfg->source) >= 0 && cfg->source != GPCRACE_PSRC_COLLAPSE;
    int64_t r = tight ? op_loop_madvise(cfg, p, samples, n, out, &first, &last)
                      : op_loop_general(cfg, p, samples, n, out, &first, &last);
    spinners_stop(s);
    free(s);
    if (r < 0) return r;
    out->elapsed_ns = probe_ns((int64_t)(last - first));
    for (int64_t i = 0; i < n; i++) samples[i] = probe_ns(samples[i]);
    /* one more operation, spinners stopped, to see what it left resident ("no effect" check) */
    if ((c = populate(cfg, p)) || (c = operation(cfg, p))) return probe_fail(out, c, errno);
    out->resident = resident_pages(p, cfg->length);
    if (out->resident < 0) return probe_fail(out, GPCRACE_PCALL_MINCORE, errno);
    if ((c = restore(cfg, p))) return probe_fail(out, c, errno);
    return n;
}

int64_t gpcrace_probe_plain_dontneed(int64_t addr, int64_t n, int cpu)
{
    char *p = (char *)(intptr_t)addr;
    cpu_set_t old;
    int pinned;
    int err = probe_pin(cpu, &old, &pinned);
    if (err) return -(int64_t)err;
    int64_t r = 0;
    int64_t t0 = mono_ns();
    for (int64_t i = 0; i < n; i++) {
        *(volatile char *)p = 1;
        if (madvise(p, PROBE_PAGE, MADV_DONTNEED)) { r = -(int64_t)errno; break; }
    }
    if (r == 0) r = mono_ns() - t0;
    probe_unpin(&old, pinned);
    return r;
}
