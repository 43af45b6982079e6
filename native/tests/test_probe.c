/*
 * The latency probes run and give sane samples: positive, the right count, the shootdown check
 * silent for the real zap and loud for its broken control, op+refault not cheaper than op.
 */
#define _GNU_SOURCE
#include "gpcrace.h"
#include "check.h"

#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#define N 200
static int64_t samples[GPCRACE_PROBE_MAX_SERIES * N];

static struct gpcrace_probe_cfg cfg_for(char *p, int64_t len, int helpers)
{
    struct gpcrace_probe_cfg c = {.addr = (int64_t)(intptr_t)p, .length = len, .fd = -1, .cpu = -1};
    int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (helpers && ncpu >= 2) {
        c.cpu = 0;
        c.nhelpers = helpers;
        for (int i = 0; i < helpers; i++) c.helper_cpus[i] = 1 + i % (ncpu - 1);
    } else if (helpers) {
        c.nhelpers = helpers;
        for (int i = 0; i < helpers; i++) c.helper_cpus[i] = -1;
    }
    return c;
}

static void run_ok(int probe, struct gpcrace_probe_cfg *c, int64_t n, struct gpcrace_probe_out *out)
{
    int64_t r = gpcrace_probe_run(probe, c, samples, n, out);
    CHECK(r == n, "%s: returned %lld, failed call %s errno %d", gpcrace_probe_name(probe), (long long)r,
          gpcrace_probe_call_name(out->err_call), out->err_errno);
    CHECK(out->done == n, "%s: done %lld", gpcrace_probe_name(probe), (long long)out->done);
}

static int64_t median(const int64_t *v, int64_t n)
{
    int64_t tmp[N];
    for (int64_t i = 0; i < n; i++) tmp[i] = v[i];
    for (int64_t i = 1; i < n; i++)
        for (int64_t j = i; j > 0 && tmp[j - 1] > tmp[j]; j--) { int64_t x = tmp[j]; tmp[j] = tmp[j - 1]; tmp[j - 1] = x; }
    return tmp[n / 2];
}

static void all_positive(const char *what, const int64_t *v, int64_t n)
{
    for (int64_t i = 0; i < n; i++) CHECK(v[i] > 0, "%s: sample %lld is %lld", what, (long long)i, (long long)v[i]);
}

int main(void)
{
    int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
    int64_t hz = gpcrace_probe_tsc_calibrate(10000000);
    gpcrace_probe_clock_use(hz);
    printf("test_probe: TSC %lld Hz, %d CPUs\n", (long long)hz, ncpu);
    CHECK(gpcrace_probe_series(GPCRACE_PROBE_COUNT) == -1 && gpcrace_probe_name(-1) == NULL, "bounds");
    for (int p = 0; p < GPCRACE_PROBE_COUNT; p++)
        CHECK(gpcrace_probe_name(p) && gpcrace_probe_series(p) >= 1 && gpcrace_probe_series(p) <= GPCRACE_PROBE_MAX_SERIES, "probe %d", p);

    struct gpcrace_probe_out out;
    struct gpcrace_probe_cfg none = cfg_for(NULL, 0, 0);
    none.variant = GPCRACE_PCLOCK_MONOTONIC;
    run_ok(GPCRACE_PROBE_CLOCK_READS, &none, N, &out);
    CHECK(out.elapsed_ns > 0 && out.min_gap_ns > 0, "monotonic reads");

    const int64_t len = 16 * 4096;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED, "mmap");

    /* madvise: op and op+refault, no spinner and (with 2 CPUs) one */
    for (int spin = 0; spin <= (ncpu >= 2 ? 1 : 0); spin++) {
        struct gpcrace_probe_cfg c = cfg_for(p, len, spin);
        c.source = GPCRACE_PSRC_DONTNEED;
        c.mode = GPCRACE_PMODE_OP;
        run_ok(GPCRACE_PROBE_MADVISE, &c, N, &out);
        all_positive("dontneed op", samples, N);
        CHECK(out.resident == 0, "DONTNEED left %lld pages resident", (long long)out.resident);
        int64_t op = median(samples, N);
        c.mode = GPCRACE_PMODE_OP_REFAULT;
        run_ok(GPCRACE_PROBE_MADVISE, &c, N, &out);
        all_positive("dontneed op+refault", samples, N);
        int64_t both = median(samples, N);
        printf("  dontneed 16 pages, %d spinner(s): op p50 %lld ns, op+refault p50 %lld ns\n", spin, (long long)op, (long long)both);
        CHECK(both >= op, "op+refault (%lld) cheaper than op alone (%lld)", (long long)both, (long long)op);
    }
    for (int src = 0; src < GPCRACE_PSRC_COUNT; src++) {
        if (src == GPCRACE_PSRC_REMOVE || src == GPCRACE_PSRC_COLLAPSE) continue; /* file memory / 2 MiB */
        struct gpcrace_probe_cfg c = cfg_for(p, len, 0);
        c.source = src;
        run_ok(GPCRACE_PROBE_MADVISE, &c, 20, &out);
        all_positive("source", samples, 20);
    }

    struct gpcrace_probe_cfg one = cfg_for(p, 4096, 0);
    run_ok(GPCRACE_PROBE_REFAULT, &one, N, &out);
    all_positive("refault", samples, N);
    int64_t plain = gpcrace_probe_plain_dontneed((int64_t)(intptr_t)p, 1000, -1);
    CHECK(plain > 0, "plain loop: %lld", (long long)plain);

    for (int v = 0; v <= GPCRACE_PBRIDGE_MADVISE; v++) {
        struct gpcrace_probe_cfg c = cfg_for(p, 4096, 0);
        c.variant = v;
        c.batch = 100;
        run_ok(GPCRACE_PROBE_BRIDGE_C, &c, 50, &out);
    }

    /* drain: each notifier-start step, without readers and with one (which it must wait for) */
    for (int kind = GPCRACE_PDRAIN_RWLOCK_SPIN; kind <= GPCRACE_PDRAIN_SRCU; kind++) {
        for (int readers = 0; readers <= (ncpu >= 2 ? 1 : 0); readers++) {
            struct gpcrace_probe_cfg d = cfg_for(NULL, 0, readers);
            d.variant = kind;
            d.delay_ns = 2000;
            run_ok(GPCRACE_PROBE_DRAIN, &d, 100, &out);
            all_positive("drain", samples, 100);
            if (readers == 0) CHECK(out.anomalies == 0, "drain kind %d waited without readers", kind);
            else CHECK(out.anomalies > 50, "drain kind %d waited only %lld of 100 times with a reader inside",
                       kind, (long long)out.anomalies);
            printf("  drain kind %d, %d reader(s): p50 %lld ns, waited %lld/100\n", kind, readers,
                   (long long)median(samples, 100), (long long)out.anomalies);
        }
    }

    struct gpcrace_probe_cfg u = cfg_for(p, 4096, 1);
    u.variant = GPCRACE_PRESOLVE_COPY;
    int64_t r = gpcrace_probe_run(GPCRACE_PROBE_UFFD_MISSING, &u, samples, N, &out);
    if (r < 0 && out.err_call == GPCRACE_PCALL_USERFAULTFD) {
        printf("  userfaultfd unavailable here (errno %d): uffd probes not checked\n", out.err_errno);
    } else {
        CHECK(r == N, "uffd-missing: %s errno %d", gpcrace_probe_call_name(out.err_call), out.err_errno);
        all_positive("uffd-missing", samples, N);
        run_ok(GPCRACE_PROBE_UFFD_REMOVE, &u, N, &out);
        all_positive("uffd-remove blocked", samples, N);
    }

    if (ncpu >= 2 && hz > 0) {
        struct gpcrace_probe_cfg f = cfg_for(NULL, 0, 1);
        f.delay_ns = 20000;
        run_ok(GPCRACE_PROBE_FUTEX, &f, 50, &out);
        all_positive("futex wake-to-run", samples, 50);

        struct gpcrace_probe_cfg s = cfg_for(p, 4096, 1);
        run_ok(GPCRACE_PROBE_SHOOTDOWN, &s, N, &out);
        all_positive("shootdown visibility", samples, N);
        CHECK(out.anomalies == 0, "shootdown: %lld stale reads after madvise returned (min gap %lld ns)",
              (long long)out.anomalies, (long long)out.min_gap_ns);
        printf("  shootdown visibility p50 %lld ns, min gap %lld ns\n", (long long)median(samples, N), (long long)out.min_gap_ns);
        s.flags = GPCRACE_PFLAG_BROKEN_CONTROL;
        run_ok(GPCRACE_PROBE_SHOOTDOWN, &s, 50, &out);
        CHECK(out.anomalies == 50, "broken control: only %lld of 50 iterations caught", (long long)out.anomalies);

        run_ok(GPCRACE_PROBE_TSC_SKEW, &s, N, &out);
    }
    munmap(p, len);
    printf("test_probe: ok\n");
    return 0;
}
