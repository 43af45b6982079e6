/*
 * probe: bridge, C side — the same calls the bridge probe makes from Java (the helper's no-op,
 * getpid, a 1-page madvise(MADV_DONTNEED)) made directly from C. One sample = the mean ns per
 * call over cfg->batch calls, timed with CLOCK_MONOTONIC (the clock of System.nanoTime, which
 * times the Java side), so the three columns share one clock and one method.
 */
#include "probe_common.h"

#include <sys/mman.h>
#include <unistd.h>

int64_t probe_bridge_c(const struct gpcrace_probe_cfg *cfg, int64_t *samples, int64_t n,
                       struct gpcrace_probe_out *out)
{
    int64_t batch = cfg->batch;
    char *p = (char *)(intptr_t)cfg->addr;
    if (batch <= 0 || (cfg->variant == GPCRACE_PBRIDGE_MADVISE && !p)) return probe_fail(out, GPCRACE_PCALL_ARGUMENT, EINVAL);
    int64_t sink = 0;
    uint64_t first = (uint64_t)mono_ns(), prev = first;
    for (int64_t i = 0; i < n; i++) {
        switch (cfg->variant) {
        case GPCRACE_PBRIDGE_NOOP:
            for (int64_t b = 0; b < batch; b++) sink += gpcrace_noop(b);
            break;
        case GPCRACE_PBRIDGE_GETPID:
            for (int64_t b = 0; b < batch; b++) sink += getpid();
            break;
        case GPCRACE_PBRIDGE_MADVISE:
            for (int64_t b = 0; b < batch; b++)
                if (madvise(p, PROBE_PAGE, MADV_DONTNEED)) return probe_fail(out, GPCRACE_PCALL_MADVISE, errno);
            break;
        default:
            return probe_fail(out, GPCRACE_PCALL_ARGUMENT, EINVAL);
        }
        uint64_t now = (uint64_t)mono_ns();
        samples[i] = (int64_t)((now - prev + (uint64_t)batch / 2) / (uint64_t)batch);
        prev = now;
    }
    __asm__ volatile("" : : "r"(sink) : "memory");
    out->elapsed_ns = (int64_t)(prev - first);
    return n;
}
