/*
 * invalidate.c - the invalidation sources: each a real kernel operation on the guest range
 * that goes through the MMU notifier (zap, free, protection change, remap, collapse), which
 * combinations make sense, and which keep the page content (the harness then resets the
 * counters as the page's "new owner" would, so the oracle stays exact).
 */
#define _GNU_SOURCE
#include "invalidate.h"
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>

#define HUGE_2M (2ull << 20)

static const char *const names[GPCRACE_SRC_COUNT] = {
    "dontneed", "remove", "punch-hole", "free", "pageout", "mprotect", "remap", "collapse",
};

const char *gpcrace_gpc_source_name(int source)
{
    return source >= 0 && source < GPCRACE_SRC_COUNT ? names[source] : NULL;
}

static int file_backed(uint32_t backing) { return backing == GPCRACE_BACKING_SHMEM || backing == GPCRACE_BACKING_HUGETLB; }

int gpcrace_gpc_source_preserves_content(int source, int backing)
{
    switch (source) {
    case GPCRACE_SRC_DONTNEED: return file_backed((uint32_t)backing); /* the page stays in the file */
    case GPCRACE_SRC_REMOVE:
    case GPCRACE_SRC_PUNCH_HOLE: return 0;                           /* the next fault gets a zeroed page */
    case GPCRACE_SRC_REMAP: return backing != GPCRACE_BACKING_ANON;  /* the other file page keeps old data */
    default: return 1;                                               /* free, pageout, mprotect, collapse */
    }
}

uint64_t invalidate_len(const struct gpcrace_gpc_config *cfg)
{
    uint64_t len = (uint64_t)cfg->pages * GPC_PAGE;
    if (cfg->backing == GPCRACE_BACKING_HUGETLB || cfg->source == GPCRACE_SRC_COLLAPSE)
        len = (len + HUGE_2M - 1) / HUGE_2M * HUGE_2M;
    return len;
}

static int refuse(char *err, uint64_t errlen, const char *msg)
{
    snprintf(err, errlen, "%s", msg);
    return -EINVAL;
}

int invalidate_source_valid(const struct gpcrace_gpc_config *cfg, char *err, uint64_t errlen)
{
    int file = file_backed(cfg->backing);
    switch (cfg->source) {
    case GPCRACE_SRC_DONTNEED:
    case GPCRACE_SRC_PAGEOUT:
    case GPCRACE_SRC_MPROTECT:
        break;
    case GPCRACE_SRC_REMOVE:
        if (!file) return refuse(err, errlen, "--source remove needs file-backed memory (--backing shmem or hugetlb): MADV_REMOVE frees a file's pages");
        break;
    case GPCRACE_SRC_PUNCH_HOLE:
        if (!file || cfg->memfd < 0) return refuse(err, errlen, "--source punch-hole needs file-backed memory (--backing shmem or hugetlb)");
        break;
    case GPCRACE_SRC_FREE:
        if (file) return refuse(err, errlen, "--source free needs private anonymous memory (--backing anon or thp): MADV_FREE ignores shared pages");
        break;
    case GPCRACE_SRC_REMAP:
        if (cfg->backing == GPCRACE_BACKING_THP) return refuse(err, errlen, "--source remap supports --backing anon, shmem or hugetlb, not thp");
        if (file && (cfg->memfd < 0 || cfg->remap_offset == 0 || cfg->remap_offset < invalidate_len(cfg) || cfg->remap_offset + invalidate_len(cfg) > cfg->guest_bytes))
            return refuse(err, errlen, "--source remap on file-backed memory needs a second set of file pages (remap_offset)");
        break;
    case GPCRACE_SRC_COLLAPSE:
        if (cfg->backing != GPCRACE_BACKING_THP) return refuse(err, errlen, "--source collapse needs --backing thp (a 2 MiB-aligned range MADV_COLLAPSE can turn into a huge page)");
        if (cfg->guest_base % HUGE_2M) return refuse(err, errlen, "--source collapse needs a 2 MiB-aligned guest range");
        break;
    default:
        return refuse(err, errlen, "unknown invalidation source");
    }
    if (cfg->notifier == GPCRACE_NOTIFIER_UFFD && cfg->source != GPCRACE_SRC_DONTNEED &&
        cfg->source != GPCRACE_SRC_FREE && cfg->source != GPCRACE_SRC_REMOVE)
        return refuse(err, errlen, "the userfaultfd notifier sees only dontneed, free and remove (the operations that send UFFD_EVENT_REMOVE)");
    return 0;
}

/* collapse needs a PTE-mapped THP to collapse: zap and refault the range's last 4 KiB page,
 * which splits the PMD mapping (the cached page, at the start of the range, stays mapped). */
int invalidate_prepare(struct gpcrace_gpc_run *run)
{
    if (run->cfg.source != GPCRACE_SRC_COLLAPSE) return 0;
    volatile uint8_t *last = (uint8_t *)(uintptr_t)(run->cfg.guest_base + run->inv_len - GPC_PAGE);
    if (madvise((void *)last, GPC_PAGE, MADV_DONTNEED) != 0) return errno;
    *last = 1;
    return 0;
}

static int remap(struct gpcrace_gpc_run *run, void *addr, uint64_t len)
{
    void *p;
    if (run->cfg.backing == GPCRACE_BACKING_ANON) {
        p = mmap(addr, len, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    } else {
        uint64_t next = run->memfd_offset == 0 ? run->cfg.remap_offset : 0;
        p = mmap(addr, len, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_SHARED, run->cfg.memfd, (off_t)next);
        if (p != MAP_FAILED) run->memfd_offset = next;
    }
    return p == MAP_FAILED ? errno : 0;
}

int invalidate_zap(struct gpcrace_gpc_run *run)
{
    void *addr = (void *)(uintptr_t)run->cfg.guest_base;
    uint64_t len = run->inv_len;
    int r = 0;
    switch (run->cfg.source) {
    case GPCRACE_SRC_DONTNEED: r = madvise(addr, len, MADV_DONTNEED); break;
    case GPCRACE_SRC_REMOVE: r = madvise(addr, len, MADV_REMOVE); break;
    case GPCRACE_SRC_FREE: r = madvise(addr, len, MADV_FREE); break;
    case GPCRACE_SRC_PAGEOUT: r = madvise(addr, len, MADV_PAGEOUT); break;
    case GPCRACE_SRC_COLLAPSE: r = madvise(addr, len, MADV_COLLAPSE); break;
    case GPCRACE_SRC_PUNCH_HOLE:
        r = fallocate(run->cfg.memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)run->memfd_offset, (off_t)len);
        break;
    case GPCRACE_SRC_MPROTECT: {
        /* a reader faulting in the window waits in the SIGSEGV guard until prot_none clears */
        G_ADD(&run->prot_none, 1u);
        r = mprotect(addr, len, PROT_NONE);
        int e = r ? errno : 0;
        int r2 = mprotect(addr, len, PROT_READ | PROT_WRITE);
        if (r2) e = errno;
        __atomic_sub_fetch(&run->prot_none, 1u, __ATOMIC_SEQ_CST);
        return e;
    }
    case GPCRACE_SRC_REMAP: return remap(run, addr, len);
    default: return EINVAL;
    }
    return r == 0 ? 0 : errno;
}

uint64_t gpcrace_gpc_inv_addr(const struct gpcrace_gpc_run *run) { return run->cfg.guest_base; }
uint64_t gpcrace_gpc_inv_len(const struct gpcrace_gpc_run *run) { return run->inv_len; }
