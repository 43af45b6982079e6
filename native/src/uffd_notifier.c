/*
 * uffd_notifier.c - the userfaultfd notifier (--notifier uffd). The guest range is registered
 * (write-protect mode, which never traps here because nothing is write-protected) with
 * UFFD_FEATURE_EVENT_REMOVE: a madvise(DONTNEED/FREE/REMOVE) on it queues UFFD_EVENT_REMOVE and
 * blocks until a monitor reads the event. The monitor thread is the cache's only notifier:
 * uffd-invalidate-then-read invalidates before reading the event, uffd-read-then-invalidate
 * after. The snapshot S_r is taken just before the event is read. userfaultfd has no "end"
 * event, so the harness ends the invalidation when the madvise returns (the madvise thread
 * tells the monitor), as invalidate_range_end would.
 */
#define _GNU_SOURCE
#include "uffd_notifier.h"
#include "clock.h"
#include "compat.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MADVISE_FAILED_WAIT_NS 50000000LL

static int uffd_error(char *err, uint64_t errlen, const char *call, int e, const char *fix)
{
    const char *name = gpcrace_errno_name(e);
    snprintf(err, errlen, "%s: %s (%s)%s%s", call, strerror(e), name ? name : "?", fix ? "; " : "", fix ? fix : "");
    return e == EINVAL ? -EOPNOTSUPP : -e; /* the machine cannot do it: not a bad configuration */
}

int uffd_notifier_open(struct gpcrace_gpc_run *run, char *err, uint64_t errlen)
{
    /* user-mode only first: it needs no privilege (vm.unprivileged_userfaultfd=0 still allows it) and the
     * notifier never handles kernel-mode faults; kernels before 5.11 refuse the flag with EINVAL */
    int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
    if (fd < 0 && errno == EINVAL) fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return uffd_error(err, errlen, "userfaultfd()", errno, "run as root or sysctl vm.unprivileged_userfaultfd=1");
    int file = run->cfg.backing == GPCRACE_BACKING_SHMEM || run->cfg.backing == GPCRACE_BACKING_HUGETLB;
    struct uffdio_api api = {.api = UFFD_API,
                             .features = UFFD_FEATURE_EVENT_REMOVE | (file ? UFFD_FEATURE_WP_HUGETLBFS_SHMEM : 0)};
    if (ioctl(fd, UFFDIO_API, &api) != 0) {
        int e = errno;
        close(fd);
        return uffd_error(err, errlen, "ioctl(UFFDIO_API, EVENT_REMOVE)", e, "needs a kernel with UFFD_FEATURE_EVENT_REMOVE");
    }
    struct uffdio_register reg = {.range = {.start = run->cfg.guest_base, .len = run->inv_len},
                                  .mode = UFFDIO_REGISTER_MODE_WP};
    if (ioctl(fd, UFFDIO_REGISTER, &reg) != 0) {
        int e = errno;
        close(fd);
        return uffd_error(err, errlen, "ioctl(UFFDIO_REGISTER, MODE_WP)", e, "needs userfaultfd write-protect support for this backing");
    }
    int wfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wfd < 0) {
        int e = errno;
        close(fd);
        return uffd_error(err, errlen, "eventfd()", e, NULL);
    }
    run->uffd.fd = fd;
    run->uffd.wake_fd = wfd;
    return 0;
}

void uffd_notifier_close(struct gpcrace_gpc_run *run)
{
    if (run->uffd.fd >= 0) close(run->uffd.fd);
    if (run->uffd.wake_fd >= 0) close(run->uffd.wake_fd);
    run->uffd.fd = run->uffd.wake_fd = -1;
}

void uffd_notifier_stop(struct gpcrace_gpc_run *run)
{
    uint64_t one = 1;
    if (run->uffd.wake_fd >= 0 && write(run->uffd.wake_fd, &one, sizeof(one)) < 0) {
        /* the eventfd counter cannot overflow here; the monitor also polls stop every 100 ms */
    }
}

static int wait_flag(struct gpcrace_gpc_run *run, uint32_t *flag, int64_t timeout_ns)
{
    int64_t deadline = timeout_ns < 0 ? -1 : mono_ns() + timeout_ns;
    while (!G_LOAD(flag)) {
        if (G_LOAD(&run->abort)) return -ECANCELED;
        if (deadline >= 0 && mono_ns() >= deadline) return -ETIMEDOUT;
        sync_futex_wait(flag, 0, SYNC_RECHECK_NS);
    }
    return 0;
}

/* One UFFD_EVENT_REMOVE (queued by userfaultfd_remove, fs/userfaultfd.c, which madvise calls
 * before it zaps): the notifier start, the read that releases the madvise, the end. */
static int handle_event(struct gpcrace_gpc_run *run)
{
    struct gpc *g = &run->gpc;
    int order = run->ops->uffd_order;
    run->readers_inside = round_readers_inside(run);
    run->inv_t0_ns = mono_ns();
    gpc_uffd_start(g);
    if (order == GPC_UFFD_INVALIDATE_THEN_READ && gpc_uffd_invalidate(g) < 0) return -ECANCELED;
    /* the snapshot: the last instant before the madvise may resume and zap (reading the event
     * releases it, so the old frame cannot be read afterwards). Accesses in the short window
     * between here and the read count as stale for read-then-invalidate; invalidate-then-read
     * has drained its readers already. */
    round_take_snapshot(run);
    struct uffd_msg msg;
    ssize_t n = read(run->uffd.fd, &msg, sizeof(msg));
    if (n != (ssize_t)sizeof(msg)) {
        round_fail(run, n < 0 ? errno : EPROTO, "read(userfaultfd) after poll reported an event");
        return -ECANCELED;
    }
    run->uffd.events++;
    if (msg.event != UFFD_EVENT_REMOVE) run->uffd.unexpected++;
    if (order == GPC_UFFD_READ_THEN_INVALIDATE && gpc_uffd_invalidate(g) < 0) return -ECANCELED;
    G_ADD(&run->events, 1u);
    round_flag(run, GPCRACE_ROUND_INVALIDATED | GPCRACE_ROUND_UFFD_EVENT);
    if (wait_flag(run, &run->uffd.madvise_done, -1) < 0) return -ECANCELED;
    round_handover(run, run->zap_errno);
    gpc_uffd_end(g);
    run->inv_t1_ns = mono_ns();
    G_STORE(&run->uffd.end_done, 1u);
    sync_futex_wake(&run->uffd.end_done, 1);
    return 0;
}

void *uffd_monitor_main(void *arg)
{
    struct round_actor *a = arg;
    struct gpcrace_gpc_run *run = a->run;
    round_pin_self(run->cfg.cpus[a->index]);
    run->actor_cpu[a->index] = sched_getcpu();
    struct pollfd pf[2] = {{.fd = run->uffd.fd, .events = POLLIN}, {.fd = run->uffd.wake_fd, .events = POLLIN}};
    for (;;) {
        if (G_LOAD(&run->stop) || G_LOAD(&run->abort)) break;
        int n = poll(pf, 2, 100);
        if (n < 0 && errno != EINTR) {
            round_fail(run, errno, "poll(userfaultfd)");
            break;
        }
        if (G_LOAD(&run->stop) || G_LOAD(&run->abort)) break;
        if (n > 0 && (pf[0].revents & POLLIN) && handle_event(run) < 0) break;
    }
    uint64_t drained;
    if (read(run->uffd.wake_fd, &drained, sizeof(drained)) < 0) {
        /* EAGAIN: nobody asked us to stop through the eventfd */
    }
    return NULL;
}

/* The madvise thread's side: its operation returned; wait until the monitor ended it. */
int uffd_inv_finish(struct gpcrace_gpc_run *run, int zap_errno)
{
    run->zap_errno = zap_errno;
    if (zap_errno == 0) round_flag(run, GPCRACE_ROUND_ZAPPED);
    G_STORE(&run->uffd.madvise_done, 1u);
    sync_futex_wake(&run->uffd.madvise_done, 1);
    /* a madvise that failed may not have sent an event at all */
    int r = wait_flag(run, &run->uffd.end_done, zap_errno ? MADVISE_FAILED_WAIT_NS : -1);
    return r == -ECANCELED ? r : 0;
}
