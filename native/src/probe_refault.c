/*
 * probe: refault — the first touch after a zap. Each iteration zaps the range with
 * madvise(MADV_DONTNEED) (untimed) and times one write to its first byte: a minor fault that
 * allocates a zeroed page (anonymous), maps the page-cache page again (shmem, hugetlb) or
 * allocates and clears a 2 MiB page (THP, when the range is a whole huge page).
 */
#include "probe_common.h"

#include <sys/mman.h>

int64_t probe_refault(const struct gpcrace_probe_cfg *cfg, int64_t *samples, int64_t n,
                      struct gpcrace_probe_out *out)
{
    char *p = (char *)(intptr_t)cfg->addr;
    if (!p || cfg->length <= 0) return probe_fail(out, GPCRACE_PCALL_ARGUMENT, EINVAL);
    uint64_t first = 0, last = 0;
    for (int64_t i = 0; i < n; i++) {
        if (madvise(p, (size_t)cfg->length, MADV_DONTNEED)) return probe_fail(out, GPCRACE_PCALL_MADVISE, errno);
        uint64_t t0 = probe_begin();
        *(volatile char *)p = 1;
        uint64_t t1 = probe_end();
        samples[i] = (int64_t)(t1 - t0);
        if (i == 0) first = t0;
        last = t1;
    }
    for (int64_t i = 0; i < n; i++) samples[i] = probe_ns(samples[i]);
    out->elapsed_ns = probe_ns((int64_t)(last - first));
    return n;
}
