/*
 * probe: futex wake-to-run, the apparatus' own calibration. A waiter pinned to another CPU
 * sleeps in FUTEX_WAIT; the caller, after giving it cfg->delay_ns to fall asleep, stamps,
 * sets the word and calls FUTEX_WAKE; the waiter stamps as soon as FUTEX_WAIT returns.
 * Series: wake-to-run (waiter's stamp - caller's stamp), the FUTEX_WAKE call itself.
 * An iteration where the waiter had not slept yet (FUTEX_WAIT saw the new value) is repeated
 * and counted in out->anomalies.
 */
#include "probe_common.h"

#include <linux/futex.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

struct futex_ctl {
    uint32_t word __attribute__((aligned(64)));
    uint64_t phase __attribute__((aligned(64)));    /* armed iteration, +1 */
    uint64_t waiting __attribute__((aligned(64)));  /* iteration the waiter is about to sleep in */
    uint64_t done __attribute__((aligned(64)));     /* iteration the waiter finished */
    uint64_t woke_at;
    int slept;
    int stop;
    int err;
};

static long futex(uint32_t *uaddr, int op, uint32_t val)
{
    return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

static void *waiter(void *arg)
{
    struct futex_ctl *c = arg;
    for (uint64_t it = 1;; it++) {
        uint64_t ph;
        while ((ph = LOAD_ACQ(&c->phase)) < it && !LOAD_ACQ(&c->stop)) probe_pause();
        if (ph < it) return NULL;
        it = ph;
        STORE_REL(&c->waiting, it);
        int slept = 0;
        while (LOAD_ACQ(&c->word) == 0) {
            long r = futex(&c->word, FUTEX_WAIT_PRIVATE, 0);
            if (r == 0) slept = 1;
            else if (errno != EAGAIN && errno != EINTR) { c->err = errno; break; }
        }
        c->woke_at = probe_end();
        c->slept = slept;
        STORE_REL(&c->done, it);
    }
}

int64_t probe_futex(const struct gpcrace_probe_cfg *cfg, int64_t *samples, int64_t n,
                    struct gpcrace_probe_out *out)
{
    if (cfg->nhelpers < 1) return probe_fail(out, GPCRACE_PCALL_ARGUMENT, EINVAL);
    struct futex_ctl *c = aligned_alloc(64, sizeof(*c));
    if (!c) return probe_fail(out, GPCRACE_PCALL_ARGUMENT, ENOMEM);
    *c = (struct futex_ctl){0};
    pthread_t t;
    int err = probe_thread_start(&t, cfg->helper_cpus[0], waiter, c);
    if (err) { free(c); return probe_fail(out, GPCRACE_PCALL_PTHREAD_CREATE, err); }
    int64_t delay = cfg->delay_ns > 0 ? cfg->delay_ns : 50000;
    int64_t *wake_to_run = samples, *wake_call = samples + n;
    int64_t r = n, retries = 0;
    uint64_t it = 0, first = 0, last = 0;
    for (int64_t i = 0; i < n;) {
        it++;
        STORE_REL(&c->word, 0);
        STORE_REL(&c->phase, it);
        while (LOAD_ACQ(&c->waiting) != it) probe_pause();
        probe_spin_ns(delay);
        uint64_t t0 = probe_begin();
        STORE_REL(&c->word, 1);
        if (futex(&c->word, FUTEX_WAKE_PRIVATE, 1) < 0) { r = probe_fail(out, GPCRACE_PCALL_FUTEX, errno); break; }
        uint64_t t1 = probe_end();
        while (LOAD_ACQ(&c->done) != it) probe_pause();
        if (c->err) { r = probe_fail(out, GPCRACE_PCALL_FUTEX, c->err); break; }
        if (!c->slept) {
            /* the waiter was still on its way into the kernel: not a wake-up, do it again */
            if (++retries > 1000 + 10 * n) { r = probe_fail(out, GPCRACE_PCALL_FUTEX, ETIMEDOUT); break; }
            continue;
        }
        wake_to_run[i] = (int64_t)(c->woke_at - t0);
        wake_call[i] = (int64_t)(t1 - t0);
        if (i == 0) first = t0;
        last = t1;
        i++;
    }
    STORE_REL(&c->stop, 1);
    pthread_join(t, NULL);
    free(c);
    out->anomalies = retries;
    if (r < 0) return r;
    for (int64_t i = 0; i < 2 * n; i++) samples[i] = probe_ns(samples[i]);
    out->elapsed_ns = probe_ns((int64_t)(last - first));
    return n;
}
