/*
 * gpcrace-plain: the separate plain C process gpcrace compares itself with. It shares no code
 * with libgpcrace (its own clock, its own loops), so a figure "tool vs plain" compares the tool
 * with something that cannot inherit the tool's mistakes, and it runs in an address space of its
 * own, as a user's reproducer would.
 *
 *   gpcrace-plain tlb-flush1 N CPU        will-it-scale tlb_flush1: N x { *p = 1; madvise(p, 4096, MADV_DONTNEED) }
 *                                         prints: loops N ns T
 *   gpcrace-plain dontneed-op N CPU       N x 1-page madvise(MADV_DONTNEED) of a populated page, each timed with
 *                                         the TSC (lfence;rdtsc .. rdtscp;lfence), the page written untimed before it
 *                                         prints: n N min A p50 B p90 C p99 D max E tsc_hz H   (ns)
 *   gpcrace-plain round N CPU_A CPU_B     the GPC round's essential work: on CPU_A N x { madvise(p, 4096,
 *                                         MADV_DONTNEED); *p = 1 } while a reader thread runs on CPU_B in the
 *                                         same mm (loading a word of its own page), so every zap sends it a
 *                                         TLB-shootdown IPI, as the readers' CPUs get one in a round
 *                                         prints: loops N ns T
 * CPU -1: not pinned. 1000 untimed iterations come first (the fault path and caches warm).
 * Exit status 2 on bad arguments, 1 when a call fails (named on stderr).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define PAGE 4096
#define WARMUP 1000

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline uint64_t tsc_start(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t tsc_stop(void)
{
    uint32_t lo, hi, aux;
    __asm__ volatile("rdtscp; lfence" : "=a"(lo), "=d"(hi), "=c"(aux) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

/* TSC Hz: the median of three 10 ms windows against CLOCK_MONOTONIC. */
static double tsc_hz(void)
{
    double hz[3];
    for (int w = 0; w < 3; w++) {
        int64_t m0 = now_ns();
        uint64_t t0 = tsc_start();
        while (now_ns() - m0 < 10000000) { }
        uint64_t t1 = tsc_start();
        int64_t m1 = now_ns();
        hz[w] = (double)(t1 - t0) * 1e9 / (double)(m1 - m0);
    }
    if (hz[0] > hz[1]) { double x = hz[0]; hz[0] = hz[1]; hz[1] = x; }
    if (hz[1] > hz[2]) { double x = hz[1]; hz[1] = hz[2]; hz[2] = x; }
    if (hz[0] > hz[1]) { double x = hz[0]; hz[0] = hz[1]; hz[1] = x; }
    return hz[1];
}

static void pin(int cpu)
{
    if (cpu < 0) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof(set), &set)) {
        fprintf(stderr, "gpcrace-plain: sched_setaffinity(cpu %d): %s\n", cpu, strerror(errno));
        exit(1);
    }
}

static char *page(void)
{
    char *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "gpcrace-plain: mmap: %s\n", strerror(errno));
        exit(1);
    }
    return p;
}

static void zap(char *p)
{
    if (madvise(p, PAGE, MADV_DONTNEED)) {
        fprintf(stderr, "gpcrace-plain: madvise(MADV_DONTNEED): %s\n", strerror(errno));
        exit(1);
    }
}

static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* nearest rank: the smallest sample with at least p percent of the samples at or below it */
static uint64_t rank(const uint64_t *sorted, long n, double p)
{
    long k = (long)((p / 100.0) * (double)n + 0.999999);
    if (k < 1) k = 1;
    if (k > n) k = n;
    return sorted[k - 1];
}

static int tlb_flush1(long n, int cpu)
{
    pin(cpu);
    char *p = page();
    for (long i = 0; i < WARMUP; i++) { *(volatile char *)p = 1; zap(p); }
    int64_t t0 = now_ns();
    for (long i = 0; i < n; i++) { *(volatile char *)p = 1; zap(p); }
    printf("loops %ld ns %lld\n", n, (long long)(now_ns() - t0));
    return 0;
}

static int dontneed_op(long n, int cpu)
{
    pin(cpu);
    double hz = tsc_hz();
    char *p = page();
    uint64_t *ticks = malloc((size_t)n * sizeof(*ticks));
    if (!ticks) return 1;
    for (long i = 0; i < WARMUP; i++) { *(volatile char *)p = 1; zap(p); }
    for (long i = 0; i < n; i++) {
        *(volatile char *)p = 1;
        uint64_t a = tsc_start();
        zap(p);
        ticks[i] = tsc_stop() - a;
    }
    qsort(ticks, (size_t)n, sizeof(*ticks), cmp);
    double ns = 1e9 / hz;
    printf("n %ld min %.0f p50 %.0f p90 %.0f p99 %.0f max %.0f tsc_hz %.0f\n", n, ticks[0] * ns, rank(ticks, n, 50) * ns,
           rank(ticks, n, 90) * ns, rank(ticks, n, 99) * ns, ticks[n - 1] * ns, hz);
    free(ticks);
    return 0;
}

struct reader {
    volatile char *p; /* the reader's own page: it holds the mm without refaulting the zapped one */
    int cpu;
    volatile int stop;
    volatile int running;
};

static void *read_loop(void *arg)
{
    struct reader *r = arg;
    pin(r->cpu);
    r->running = 1;
    while (!r->stop) (void)*r->p;
    return NULL;
}

static int round_loop(long n, int cpu_a, int cpu_b)
{
    pin(cpu_a);
    char *p = page();
    *(volatile char *)p = 1;
    struct reader r = {.p = page(), .cpu = cpu_b};
    *r.p = 1;
    pthread_t t;
    if (pthread_create(&t, NULL, read_loop, &r)) {
        fprintf(stderr, "gpcrace-plain: pthread_create failed\n");
        return 1;
    }
    while (!r.running) { }
    for (long i = 0; i < WARMUP; i++) { zap(p); *(volatile char *)p = 1; }
    int64_t t0 = now_ns();
    for (long i = 0; i < n; i++) { zap(p); *(volatile char *)p = 1; }
    int64_t dt = now_ns() - t0;
    r.stop = 1;
    pthread_join(t, NULL);
    printf("loops %ld ns %lld\n", n, (long long)dt);
    return 0;
}

int main(int argc, char **argv)
{
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
    if (argc >= 4 && n > 0 && !strcmp(argv[1], "tlb-flush1")) return tlb_flush1(n, atoi(argv[3]));
    if (argc >= 4 && n > 0 && !strcmp(argv[1], "dontneed-op")) return dontneed_op(n, atoi(argv[3]));
    if (argc >= 5 && n > 0 && !strcmp(argv[1], "round")) return round_loop(n, atoi(argv[3]), atoi(argv[4]));
    fprintf(stderr, "usage: gpcrace-plain tlb-flush1|dontneed-op N CPU | round N CPU_A CPU_B\n");
    return 2;
}
