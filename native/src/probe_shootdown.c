/*
 * probe: shootdown visibility. A reader on another CPU keeps loading one word of an anonymous
 * page, stamping the TSC before and after each load; the caller zaps the page with
 * madvise(MADV_DONTNEED). Per iteration:
 *   visibility = (end stamp of the reader's first load that returned 0, i.e. the new zero frame)
 *                - (caller's stamp at madvise entry)
 *   return     = madvise return stamp - madvise entry stamp
 *   gap        = madvise return stamp - start stamp of the reader's last load that returned the
 *                old value. A load that began after madvise returned and still saw the old
 *                frame (gap < 0, beyond the cross-CPU TSC offset) is a stale translation used
 *                after the shootdown completed: it must never happen. out->anomalies counts
 *                gap < 0, out->min_gap_ns is the smallest gap.
 * GPCRACE_PFLAG_BROKEN_CONTROL replaces the zap by a store of 0 made 5 us after "return", once
 * the reader has begun a load after that: the negative control that shows the check catches a
 * translation used after return (by far more than any cross-CPU clock offset).
 */
#include "probe_common.h"

#include <sys/mman.h>

struct shoot_ctl {
    uint64_t phase __attribute__((aligned(64)));   /* iteration armed by the caller, +1 */
    uint64_t ready __attribute__((aligned(64)));   /* iteration the reader has seen the value of, +1 */
    uint64_t done __attribute__((aligned(64)));    /* iteration the reader finished, +1 */
    uint64_t loads __attribute__((aligned(64)));   /* loads the reader has made (the control waits on it) */
    uint64_t first_new_end;
    uint64_t last_old_begin;
    int stop;
    volatile uint64_t *word;
};

static void *shoot_reader(void *arg)
{
    struct shoot_ctl *c = arg;
    for (uint64_t it = 1;; it++) {
        uint64_t ph;
        while ((ph = LOAD_ACQ(&c->phase)) != it && !LOAD_ACQ(&c->stop)) probe_pause();
        if (ph != it) return NULL;
        /* wait for the armed value: from here on the translation is cached in this CPU's TLB */
        while (*c->word != it) probe_pause();
        uint64_t last_old = tsc_begin();
        STORE_REL(&c->ready, it);
        for (;;) {
            uint64_t b = tsc_begin();
            uint64_t v = *c->word;
            uint64_t e = tsc_end(probe_clk.rdtscp);
            __atomic_store_n(&c->loads, c->loads + 1, __ATOMIC_RELAXED);
            if (v != it) {
                c->first_new_end = e;
                break;
            }
            last_old = b;
        }
        c->last_old_begin = last_old;
        STORE_REL(&c->done, it);
    }
}

int64_t probe_shootdown(const struct gpcrace_probe_cfg *cfg, int64_t *samples, int64_t n,
                        struct gpcrace_probe_out *out)
{
    if (!probe_clk.use_tsc) return probe_fail(out, GPCRACE_PCALL_CLOCK, EINVAL);
    if (cfg->nhelpers < 1 || !cfg->addr) return probe_fail(out, GPCRACE_PCALL_ARGUMENT, EINVAL);
    int broken = cfg->flags & GPCRACE_PFLAG_BROKEN_CONTROL;
    static struct shoot_ctl zero;
    struct shoot_ctl c = zero;
    c.word = (volatile uint64_t *)(intptr_t)cfg->addr;
    *c.word = 0;
    pthread_t t;
    int err = probe_thread_start(&t, cfg->helper_cpus[0], shoot_reader, &c);
    if (err) return probe_fail(out, GPCRACE_PCALL_PTHREAD_CREATE, err);
    int64_t *vis = samples, *ret = samples + n, *gap = samples + 2 * n;
    int64_t r = n;
    uint64_t first = 0, last = 0;
    for (int64_t i = 0; i < n; i++) {
        uint64_t it = (uint64_t)i + 1;
        *c.word = it;                      /* faults a fresh page in (untimed) */
        STORE_REL(&c.phase, it);
        while (LOAD_ACQ(&c.ready) != it) probe_pause();
        probe_spin_ns(2000);               /* let the reader settle into its load loop */
        uint64_t t0 = tsc_begin(), t1;
        if (broken) {
            t1 = tsc_end(probe_clk.rdtscp);
            probe_spin_ns(5000);
            uint64_t seen = __atomic_load_n(&c.loads, __ATOMIC_RELAXED);
            while (__atomic_load_n(&c.loads, __ATOMIC_RELAXED) < seen + 2) probe_pause();
            *c.word = 0;
        } else {
            if (madvise((void *)c.word, PROBE_PAGE, MADV_DONTNEED)) { r = probe_fail(out, GPCRACE_PCALL_MADVISE, errno); break; }
            t1 = tsc_end(probe_clk.rdtscp);
        }
        while (LOAD_ACQ(&c.done) != it) probe_pause();
        vis[i] = (int64_t)(c.first_new_end - t0);
        ret[i] = (int64_t)(t1 - t0);
        gap[i] = (int64_t)(t1 - c.last_old_begin);
        if (i == 0) first = t0;
        last = t1;
    }
    STORE_REL(&c.stop, 1);
    pthread_join(t, NULL);
    if (r < 0) return r;
    for (int64_t i = 0; i < 3 * n; i++) samples[i] = probe_ns(samples[i]);
    for (int64_t i = 0; i < n; i++) {
        if (gap[i] < 0) out->anomalies++;
        if (gap[i] < out->min_gap_ns) out->min_gap_ns = gap[i];
    }
    out->elapsed_ns = probe_ns((int64_t)(last - first));
    return n;
}
