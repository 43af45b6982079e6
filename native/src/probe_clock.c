/*
 * probe: the probe clock (TSC calibrated against CLOCK_MONOTONIC, or CLOCK_MONOTONIC), the cost
 * of reading each clock, and a bound on the TSC offset between two CPUs.
 */
#include "probe_common.h"

#if HAVE_TSC
#include <cpuid.h>
#endif

struct probe_clock probe_clk = {0, 0, 1.0};

int gpcrace_probe_has_rdtscp(void)
{
#if HAVE_TSC
    unsigned a, b, c, d;
    if (!__get_cpuid(0x80000001, &a, &b, &c, &d)) return 0;
    return (d >> 27) & 1;
#else
    return 0;
#endif
}

#if HAVE_TSC
/* One (tsc, monotonic) pair: the monotonic read bracketed by the tightest of a few TSC pairs. */
static void stamp_pair(uint64_t *tsc, uint64_t *mono)
{
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < 7; i++) {
        uint64_t a = tsc_begin();
        uint64_t m = (uint64_t)mono_ns();
        uint64_t b = tsc_begin();
        if (b - a < best) {
            best = b - a;
            *tsc = a + (b - a) / 2;
            *mono = m;
        }
    }
}
#endif

int64_t gpcrace_probe_tsc_calibrate(int64_t window_ns)
{
#if HAVE_TSC
    if (window_ns <= 0) window_ns = 20000000;
    uint64_t t0, m0, t1, m1;
    stamp_pair(&t0, &m0);
    while ((uint64_t)mono_ns() < m0 + (uint64_t)window_ns) probe_pause();
    stamp_pair(&t1, &m1);
    if (m1 <= m0 || t1 <= t0) return 0;
    return (int64_t)((double)(t1 - t0) * 1e9 / (double)(m1 - m0) + 0.5);
#else
    (void)window_ns;
    return 0;
#endif
}

int gpcrace_probe_clock_use(int64_t tsc_hz)
{
    if (tsc_hz > 0 && HAVE_TSC) {
        probe_clk.rdtscp = gpcrace_probe_has_rdtscp();
        probe_clk.ns_per_tick = 1e9 / (double)tsc_hz;
        probe_clk.use_tsc = 1;
    } else {
        probe_clk.use_tsc = 0;
        probe_clk.ns_per_tick = 1.0;
    }
    return probe_clk.use_tsc;
}

int64_t gpcrace_probe_clock_now_ns(void)
{
    return probe_clk.use_tsc ? (int64_t)((double)tsc_end(probe_clk.rdtscp) * probe_clk.ns_per_tick) : mono_ns();
}

static inline uint64_t read_clock(int which)
{
    switch (which) {
    case GPCRACE_PCLOCK_RDTSC: return tsc_now();
    case GPCRACE_PCLOCK_RDTSCP: return tsc_end(probe_clk.rdtscp);
    case GPCRACE_PCLOCK_LFENCE_RDTSC: return tsc_begin();
    default: return (uint64_t)mono_ns();
    }
}

/*
 * n consecutive reads of one clock; sample i = read[i+1] - read[i] in ns. The raw stamps are
 * stored first and converted after the loop, so nothing but a store separates two reads.
 * out->min_gap_ns: smallest positive step seen; out->elapsed_ns: span of all reads.
 */
int64_t probe_clock_reads(const struct gpcrace_probe_cfg *cfg, int64_t *samples, int64_t n,
                          struct gpcrace_probe_out *out)
{
    int which = cfg->variant;
    if (which < 0 || which >= GPCRACE_PCLOCK_COUNT) return probe_fail(out, GPCRACE_PCALL_ARGUMENT, EINVAL);
    int tsc = which != GPCRACE_PCLOCK_MONOTONIC;
    if (tsc && !probe_clk.use_tsc) return probe_fail(out, GPCRACE_PCALL_CLOCK, EINVAL);
    if (n == 0) return 0;
    uint64_t first = read_clock(which), prev = first;
    switch (which) { /* one tight loop per clock: no switch between two reads */
    case GPCRACE_PCLOCK_RDTSC:
        for (int64_t i = 0; i < n; i++) samples[i] = (int64_t)tsc_now();
        break;
    case GPCRACE_PCLOCK_RDTSCP:
        for (int64_t i = 0; i < n; i++) samples[i] = (int64_t)tsc_end(probe_clk.rdtscp);
        break;
    case GPCRACE_PCLOCK_LFENCE_RDTSC:
        for (int64_t i = 0; i < n; i++) samples[i] = (int64_t)tsc_begin();
        break;
    default:
        for (int64_t i = 0; i < n; i++) samples[i] = mono_ns();
        break;
    }
    uint64_t last = (uint64_t)samples[n - 1];
    for (int64_t i = 0; i < n; i++) {
        uint64_t cur = (uint64_t)samples[i];
        int64_t d = tsc ? probe_ns((int64_t)(cur - prev)) : (int64_t)(cur - prev);
        if (d > 0 && d < out->min_gap_ns) out->min_gap_ns = d;
        samples[i] = d;
        prev = cur;
    }
    out->elapsed_ns = tsc ? probe_ns((int64_t)(last - first)) : (int64_t)(last - first);
    return n;
}

/* Ping-pong of TSC stamps between the caller (A) and one helper (B). */
struct skew_ctl {
    uint64_t token __attribute__((aligned(64)));
    uint64_t stamp __attribute__((aligned(64)));
    int64_t n;
    int64_t *a_to_b;
    int cpu;
    int err;
};

static void *skew_helper(void *arg)
{
    struct skew_ctl *c = arg;
    for (int64_t i = 0; i < c->n; i++) {
        while (LOAD_ACQ(&c->token) != (uint64_t)(2 * i + 1)) probe_pause();
        uint64_t now = tsc_begin();        /* after the load that saw A's stamp */
        c->a_to_b[i] = (int64_t)(now - LOAD_ACQ(&c->stamp));
        STORE_REL(&c->stamp, tsc_end(probe_clk.rdtscp));   /* B's stamp, then the token */
        STORE_REL(&c->token, (uint64_t)(2 * i + 2));
    }
    return NULL;
}

/*
 * Series 0: B's TSC when it saw A's stamp minus that stamp; series 1: the reverse. With an
 * offset o = TSC_B - TSC_A, series 0 > o and series 1 > -o, so o lies in (-min s1, min s0).
 */
int64_t probe_tsc_skew(const struct gpcrace_probe_cfg *cfg, int64_t *samples, int64_t n,
                       struct gpcrace_probe_out *out)
{
    if (!probe_clk.use_tsc) return probe_fail(out, GPCRACE_PCALL_CLOCK, EINVAL);
    if (cfg->nhelpers < 1) return probe_fail(out, GPCRACE_PCALL_ARGUMENT, EINVAL);
    struct skew_ctl c = {.token = 0, .stamp = 0, .n = n, .a_to_b = samples, .cpu = cfg->helper_cpus[0]};
    pthread_t t;
    int err = probe_thread_start(&t, c.cpu, skew_helper, &c);
    if (err) return probe_fail(out, GPCRACE_PCALL_PTHREAD_CREATE, err);
    int64_t *b_to_a = samples + n;
    for (int64_t i = 0; i < n; i++) {
        STORE_REL(&c.stamp, tsc_end(probe_clk.rdtscp));
        STORE_REL(&c.token, (uint64_t)(2 * i + 1));
        while (LOAD_ACQ(&c.token) != (uint64_t)(2 * i + 2)) probe_pause();
        uint64_t now = tsc_begin();
        b_to_a[i] = (int64_t)(now - LOAD_ACQ(&c.stamp));
    }
    pthread_join(t, NULL);
    for (int64_t i = 0; i < 2 * n; i++) samples[i] = probe_ns(samples[i]);
    return n;
}
