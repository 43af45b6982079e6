/*
 * fault_reader_watchdog.c - reads the userfaultfd's fault messages (each names the faulting
 * thread: UFFD_FEATURE_THREAD_ID) and looks for the wait cycle of the rcu list thread on page
 * faults inside RCU read-side critical sections during kernel page migration (January 2025):
 *
 *   reader --(blocked in a fault on page j)--> migrator --(maps page j only after)-->
 *   grace period --(waits for every section begun before it)--> reader
 *
 * The cycle is certain when all of these hold at once: the migrator is in the global domain's
 * grace period; a reader of that domain is inside a section it began before the grace period
 * started; the reader is touching page j, page j is unmapped, and the kernel reported the
 * reader's fault on page j (so it is waiting there). Page j is mapped only by the migrator,
 * after the grace period, or by this watchdog: nothing else can end the wait. A section begun
 * just after the grace period's start can still be waited for (liburcu waits for readers that
 * entered before its phase flip): that case is taken as the cycle once the grace period has
 * lasted CONFIRM_NS with the reader still blocked.
 *
 * On a cycle: record it (the first one as text), break it by completing the fault on page j
 * (UFFDIO_COPY of the saved content: what the migrator would do after the grace period), and go
 * on. With the detector off, a grace period past hang_ns is broken the same way as a hang.
 */
#define _GNU_SOURCE
#include "fault_reader.h"
#include "clock.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LOAD(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
#define ADD(p, v) __atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)

#define CONFIRM_NS 20000000LL  /* a section begun after the grace period's start: blocked this long = the cycle */

static struct fr_reader *reader_by_tid(struct fr_run *r, int32_t tid)
{
    for (uint32_t i = 0; i < r->cfg.readers; i++) if (LOAD(&r->readers[i].tid) == tid) return &r->readers[i];
    return NULL;
}

/* Every pending fault message: which reader waits on which page, since when. */
static void read_faults(struct fr_run *r)
{
    struct uffd_msg msg;
    while (read(r->uffd, &msg, sizeof(msg)) == (ssize_t)sizeof(msg)) {
        if (msg.event != UFFD_EVENT_PAGEFAULT) continue;
        uint64_t a = msg.arg.pagefault.address, base = (uint64_t)(uintptr_t)r->region;
        if (a < base || a >= base + r->region_bytes) continue;
        r->out->uffd_faults++;
        struct fr_reader *rd = reader_by_tid(r, (int32_t)msg.arg.pagefault.feat.ptid);
        if (!rd) continue;
        rd->fault_event_ns = mono_ns();
        STORE(&rd->fault_event_page, (int32_t)((a - base) / FR_PAGE));
    }
}

static void describe(struct fr_run *r, struct fr_reader *rd, int j, int64_t now, int certain)
{
    int64_t gp = LOAD(&r->gp_start_ns);
    snprintf(r->out->cycle, sizeof(r->out->cycle),
             "reader %u (tid %d, in its read-side section since %.3f ms %s the grace period began) -> fault on page %d"
             " (unmapped %.3f ms ago, the kernel reported the reader waiting on it) -> migrator (maps page %d only after"
             " its grace period) -> grace period (waiting %.3f ms, batch %lld) -> reader %u",
             rd->index, rd->tid, (now - rd->cs_enter_ns) / 1e6, certain ? "before" : "just after", j,
             (now - r->pages[j].unmapped_ns) / 1e6, j, (now - gp) / 1e6, (long long)LOAD(&r->batch) + 1, rd->index);
}

/* The cycle of the header, checked on every reader; broken at once. 1 when one was broken. */
static int check_cycle(struct fr_run *r, int64_t now)
{
    int64_t gp = LOAD(&r->gp_start_ns);
    if (r->cfg.variant == GPCRACE_FR_SRCU_DOMAIN) return 0; /* its readers are not in the global domain */
    for (uint32_t i = 0; i < r->cfg.readers; i++) {
        struct fr_reader *rd = &r->readers[i];
        int32_t j = LOAD(&rd->access_page);
        if (!LOAD(&rd->in_cs) || j < 0 || LOAD(&r->pages[j].present) || LOAD(&rd->fault_event_page) != j) continue;
        int certain = rd->cs_enter_ns < gp;
        if (!certain && now - gp < CONFIRM_NS) continue;
        int64_t formed = rd->access_ns > gp ? rd->access_ns : gp; /* the later of the two waits closed it */
        fr_sample(r, GPCRACE_FR_S_DETECT, now > formed ? now - formed : 0);
        fr_flag(r, GPCRACE_FR_DEADLOCK);
        if (r->out->first_deadlock_batch == 0) {
            r->out->first_deadlock_batch = LOAD(&r->batch) + 1;
            r->out->first_deadlock_ns = now - r->start_ns;
            describe(r, rd, j, now, certain);
        }
        r->last_break_ns = mono_ns();
        ADD(&r->gp_breaks, 1u);
        int rc = fr_complete_page(r, j);
        if (rc < 0) fr_fail(r, -rc, "watchdog: UFFDIO_COPY to break the cycle");
        return 1;
    }
    return 0;
}

/* No cycle seen (the detector off): past hang_ns, map every unmapped page so the run can end. */
static void check_hang(struct fr_run *r, int64_t now)
{
    if (LOAD(&r->gp_breaks) || LOAD(&r->gp_hang) || now - LOAD(&r->gp_start_ns) < r->cfg.hang_ns) return;
    STORE(&r->gp_hang, 1u);
    fr_flag(r, GPCRACE_FR_HANG);
    r->last_break_ns = mono_ns();
    for (uint32_t i = 0; i < r->cfg.pages; i++) {
        int rc = fr_complete_page(r, (int)i);
        if (rc < 0) { fr_fail(r, -rc, "watchdog: UFFDIO_COPY to end a hang"); return; }
    }
    ADD(&r->gp_breaks, 1u);
}

void *fr_watchdog_main(void *arg)
{
    struct fr_run *r = arg;
    fr_pin(r->cfg.cpus[r->cfg.readers + 1]);
    while (!LOAD(&r->watchdog_stop)) {
        struct pollfd p = {.fd = r->uffd, .events = POLLIN};
        poll(&p, 1, 1);
        read_faults(r);
        if (!LOAD(&r->in_gp)) continue;
        int64_t now = mono_ns();
        if (r->cfg.detect) check_cycle(r, now);
        check_hang(r, now);
    }
    return NULL;
}
