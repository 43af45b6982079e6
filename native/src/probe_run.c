/* probe: the table of probes, the entry point, pinning and helper threads. */
#include "probe_common.h"

#include <stdlib.h>
#include <string.h>

struct probe_entry {
    const char *name;
    int series;
    probe_fn fn;
};

/* One row per gpcrace_probe_id, in enum order. */
static const struct probe_entry probes[GPCRACE_PROBE_COUNT] = {
    [GPCRACE_PROBE_CLOCK_READS] = {"clock-reads", 1, probe_clock_reads},
    [GPCRACE_PROBE_TSC_SKEW] = {"tsc-skew", 2, probe_tsc_skew},
    [GPCRACE_PROBE_MADVISE] = {"madvise", 1, probe_madvise},
    [GPCRACE_PROBE_SHOOTDOWN] = {"shootdown", 3, probe_shootdown},
    [GPCRACE_PROBE_REFAULT] = {"refault", 1, probe_refault},
    [GPCRACE_PROBE_UFFD_MISSING] = {"uffd-missing", 3, probe_uffd_missing},
    [GPCRACE_PROBE_UFFD_REMOVE] = {"uffd-remove", 2, probe_uffd_remove},
    [GPCRACE_PROBE_FUTEX] = {"futex", 2, probe_futex},
    [GPCRACE_PROBE_BRIDGE_C] = {"bridge-c", 1, probe_bridge_c},
    [GPCRACE_PROBE_DRAIN] = {"drain", 1, probe_drain},
};

static const char *const call_names[GPCRACE_PCALL_COUNT] = {
    [GPCRACE_PCALL_NONE] = "none", [GPCRACE_PCALL_MADVISE] = "madvise", [GPCRACE_PCALL_MPROTECT] = "mprotect",
    [GPCRACE_PCALL_MMAP] = "mmap(MAP_FIXED)", [GPCRACE_PCALL_PTHREAD_CREATE] = "pthread_create",
    [GPCRACE_PCALL_SETAFFINITY] = "sched_setaffinity", [GPCRACE_PCALL_USERFAULTFD] = "userfaultfd",
    [GPCRACE_PCALL_UFFDIO_API] = "ioctl(UFFDIO_API)", [GPCRACE_PCALL_UFFDIO_REGISTER] = "ioctl(UFFDIO_REGISTER)",
    [GPCRACE_PCALL_UFFDIO_COPY] = "ioctl(UFFDIO_COPY)", [GPCRACE_PCALL_UFFDIO_ZEROPAGE] = "ioctl(UFFDIO_ZEROPAGE)",
    [GPCRACE_PCALL_READ] = "read(userfaultfd)", [GPCRACE_PCALL_POLL] = "poll", [GPCRACE_PCALL_EVENTFD] = "eventfd",
    [GPCRACE_PCALL_FUTEX] = "futex", [GPCRACE_PCALL_MINCORE] = "mincore", [GPCRACE_PCALL_ARGUMENT] = "argument check",
    [GPCRACE_PCALL_CLOCK] = "clock (TSC not usable)", [GPCRACE_PCALL_SYNC] = "rwlock/srcu (sync primitive)",
};

int gpcrace_probe_series(int probe)
{
    return probe >= 0 && probe < GPCRACE_PROBE_COUNT ? probes[probe].series : -1;
}

const char *gpcrace_probe_name(int probe)
{
    return probe >= 0 && probe < GPCRACE_PROBE_COUNT ? probes[probe].name : NULL;
}

const char *gpcrace_probe_call_name(int call)
{
    return call >= 0 && call < GPCRACE_PCALL_COUNT ? call_names[call] : NULL;
}

int64_t gpcrace_probe_run(int probe, const struct gpcrace_probe_cfg *cfg, int64_t *samples, int64_t n,
                          struct gpcrace_probe_out *out)
{
    memset(out, 0, sizeof(*out));
    out->min_gap_ns = INT64_MAX;
    if (probe < 0 || probe >= GPCRACE_PROBE_COUNT || n < 0 || (n > 0 && !samples) || !cfg
        || cfg->nhelpers < 0 || cfg->nhelpers > GPCRACE_PROBE_MAX_HELPERS)
        return probe_fail(out, GPCRACE_PCALL_ARGUMENT, EINVAL);
    cpu_set_t old;
    int pinned = 0;
    int err = probe_pin(cfg->cpu, &old, &pinned);
    if (err) return probe_fail(out, GPCRACE_PCALL_SETAFFINITY, err);
    probe_cpu_seen();
    int64_t r = probes[probe].fn(cfg, samples, n, out);
    out->cpu = sched_getcpu();
    probe_cpu_seen();
    probe_unpin(&old, pinned);
    if (r >= 0) out->done = r;
    return r;
}

int probe_pin(int cpu, cpu_set_t *old, int *pinned)
{
    *pinned = 0;
    if (cpu < 0) return 0;
    if (pthread_getaffinity_np(pthread_self(), sizeof(*old), old)) return errno ? errno : EINVAL;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    int err = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
    if (err) return err;
    *pinned = 1;
    return 0;
}

void probe_unpin(const cpu_set_t *old, int pinned)
{
    if (pinned) pthread_setaffinity_np(pthread_self(), sizeof(*old), old);
}

static uint64_t cpus_seen[PROBE_CPU_WORDS];
static int threads_live = 1, threads_max = 1; /* the measuring thread */

void probe_cpu_seen(void)
{
    int c = sched_getcpu();
    if (c >= 0 && c < 64 * PROBE_CPU_WORDS) __atomic_or_fetch(&cpus_seen[c / 64], 1ULL << (c % 64), __ATOMIC_RELAXED);
}

void probe_cpus_take(uint64_t out[PROBE_CPU_WORDS])
{
    for (int w = 0; w < PROBE_CPU_WORDS; w++) out[w] = __atomic_exchange_n(&cpus_seen[w], 0, __ATOMIC_RELAXED);
}

int probe_threads_take(void)
{
    return __atomic_exchange_n(&threads_max, __atomic_load_n(&threads_live, __ATOMIC_RELAXED), __ATOMIC_RELAXED);
}

/* A helper's life: counted and its CPU recorded at start and end, around the probe's function. */
struct probe_tramp {
    void *(*fn)(void *);
    void *arg;
};

static void *probe_trampoline(void *p)
{
    struct probe_tramp t = *(struct probe_tramp *)p;
    free(p);
    int live = __atomic_add_fetch(&threads_live, 1, __ATOMIC_RELAXED);
    for (int m = __atomic_load_n(&threads_max, __ATOMIC_RELAXED); live > m;)
        if (__atomic_compare_exchange_n(&threads_max, &m, live, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) break;
    probe_cpu_seen();
    void *r = t.fn(t.arg);
    probe_cpu_seen();
    __atomic_sub_fetch(&threads_live, 1, __ATOMIC_RELAXED);
    return r;
}

int probe_thread_start(pthread_t *t, int cpu, void *(*fn)(void *), void *arg)
{
    struct probe_tramp *tr = malloc(sizeof(*tr));
    if (!tr) return ENOMEM;
    tr->fn = fn;
    tr->arg = arg;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    if (cpu >= 0) {
        /* pinned from birth, so the helper never runs a first slice on the measuring CPU */
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
    }
    int err = pthread_create(t, &attr, probe_trampoline, tr);
    pthread_attr_destroy(&attr);
    if (err) free(tr);
    return err;
}
