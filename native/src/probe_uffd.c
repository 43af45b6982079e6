/*
 * probe: userfaultfd round trips, with a monitor thread on another CPU that blocks in poll()
 * and then read()s the userfaultfd (the usual shape of a monitor).
 *   uffd-missing: a read of a missing page of a MODE_MISSING range -> fault message -> monitor
 *     resolves with UFFDIO_COPY or UFFDIO_ZEROPAGE -> the reader resumes. Series: round trip,
 *     fault -> monitor has the message, monitor has it -> reader resumed.
 *   uffd-remove: madvise(MADV_DONTNEED) of a range registered with UFFD_FEATURE_EVENT_REMOVE
 *     blocks until the monitor has read the UFFD_EVENT_REMOVE message. Series: madvise blocked
 *     (entry to return), madvise entry -> monitor has the event (its wake-up).
 * The range is one page, repopulated untimed (uffd-remove: UFFDIO_COPY by the measuring thread).
 */
#include "probe_common.h"
#include "compat.h"

#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

struct uffd_mon {
    int uffd;
    int stopfd;
    int resolve;
    char *src;
    uint64_t t_msg __attribute__((aligned(64)));
    uint64_t seq __attribute__((aligned(64)));   /* messages handled */
    int err_call;
    int err;
};

static void *monitor(void *arg)
{
    struct uffd_mon *m = arg;
    for (;;) {
        struct pollfd pfd[2] = {{.fd = m->uffd, .events = POLLIN}, {.fd = m->stopfd, .events = POLLIN}};
        if (poll(pfd, 2, -1) < 0) {
            if (errno == EINTR) continue;
            m->err_call = GPCRACE_PCALL_POLL;
            m->err = errno;
            break;
        }
        if (pfd[1].revents) break;
        struct uffd_msg msg;
        ssize_t r = read(m->uffd, &msg, sizeof(msg));
        uint64_t t = probe_end();
        if (r < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            m->err_call = GPCRACE_PCALL_READ;
            m->err = errno;
            break;
        }
        STORE_REL(&m->t_msg, t);
        if (msg.event == UFFD_EVENT_PAGEFAULT) {
            uint64_t page = msg.arg.pagefault.address & ~(uint64_t)(PROBE_PAGE - 1);
            int rc;
            if (m->resolve == GPCRACE_PRESOLVE_ZEROPAGE) {
                struct uffdio_zeropage z = {.range = {.start = page, .len = PROBE_PAGE}, .mode = 0};
                rc = ioctl(m->uffd, UFFDIO_ZEROPAGE, &z);
            } else {
                struct uffdio_copy c = {.dst = page, .src = (uint64_t)(uintptr_t)m->src, .len = PROBE_PAGE, .mode = 0};
                rc = ioctl(m->uffd, UFFDIO_COPY, &c);
            }
            if (rc && errno != EEXIST) {
                m->err_call = m->resolve == GPCRACE_PRESOLVE_ZEROPAGE ? GPCRACE_PCALL_UFFDIO_ZEROPAGE : GPCRACE_PCALL_UFFDIO_COPY;
                m->err = errno;
                break;
            }
        }
        STORE_REL(&m->seq, m->seq + 1);
    }
    if (m->err) {
        /* closing the userfaultfd wakes a thread blocked in a fault or in madvise */
        close(m->uffd);
        m->uffd = -1;
        STORE_REL(&m->seq, UINT64_MAX);
    }
    return NULL;
}

/* Opens a userfaultfd with the given features and registers [p, p+len) for MISSING faults. */
static int uffd_open(char *p, int64_t len, uint64_t features, int *call)
{
    int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
    if (fd < 0 && errno == EINVAL) fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) { *call = GPCRACE_PCALL_USERFAULTFD; return -1; }
    struct uffdio_api api = {.api = UFFD_API, .features = features};
    if (ioctl(fd, UFFDIO_API, &api)) { *call = GPCRACE_PCALL_UFFDIO_API; goto fail; }
    struct uffdio_register reg = {.range = {.start = (uint64_t)(uintptr_t)p, .len = (uint64_t)len},
                                  .mode = UFFDIO_REGISTER_MODE_MISSING};
    if (ioctl(fd, UFFDIO_REGISTER, &reg)) { *call = GPCRACE_PCALL_UFFDIO_REGISTER; goto fail; }
    return fd;
fail:;
    int e = errno;
    close(fd);
    errno = e;
    return -1;
}

/* A userfaultfd on [p, p+page) and its monitor thread; 0 or -errno (out filled). */
static int64_t session_open(struct uffd_mon *m, const struct gpcrace_probe_cfg *cfg, uint64_t features,
                            pthread_t *t, struct gpcrace_probe_out *out)
{
    memset(m, 0, sizeof(*m));
    m->resolve = cfg->variant;
    m->stopfd = -1;
    m->src = aligned_alloc(PROBE_PAGE, PROBE_PAGE);
    if (!m->src) return probe_fail(out, GPCRACE_PCALL_ARGUMENT, ENOMEM);
    memset(m->src, 0x5a, PROBE_PAGE);
    int call = 0;
    m->uffd = uffd_open((char *)(intptr_t)cfg->addr, PROBE_PAGE, features, &call);
    if (m->uffd < 0) { int e = errno; free(m->src); return probe_fail(out, call, e); }
    m->stopfd = eventfd(0, EFD_CLOEXEC);
    if (m->stopfd < 0) { int e = errno; close(m->uffd); free(m->src); return probe_fail(out, GPCRACE_PCALL_EVENTFD, e); }
    int err = probe_thread_start(t, cfg->nhelpers > 0 ? cfg->helper_cpus[0] : -1, monitor, m);
    if (err) { close(m->stopfd); close(m->uffd); free(m->src); return probe_fail(out, GPCRACE_PCALL_PTHREAD_CREATE, err); }
    return 0;
}

static void session_close(struct uffd_mon *m, pthread_t t)
{
    uint64_t one = 1;
    if (write(m->stopfd, &one, sizeof(one)) != sizeof(one)) { /* poll also ends when the fd closes below */ }
    pthread_join(t, NULL);
    close(m->stopfd);
    if (m->uffd >= 0) close(m->uffd);
    free(m->src);
}

/* Waits until the monitor has handled `want` messages; 0, or the monitor's failure. */
static int64_t wait_seq(struct uffd_mon *m, uint64_t want, struct gpcrace_probe_out *out)
{
    int64_t deadline = mono_ns() + 10000000000LL; /* a lost message must not hang the run */
    while (LOAD_ACQ(&m->seq) < want) {
        if (mono_ns() > deadline) return probe_fail(out, GPCRACE_PCALL_READ, ETIMEDOUT);
        probe_pause();
    }
    return m->err ? probe_fail(out, m->err_call, m->err) : 0;
}

int64_t probe_uffd_missing(const struct gpcrace_probe_cfg *cfg, int64_t *samples, int64_t n,
                           struct gpcrace_probe_out *out)
{
    char *p = (char *)(intptr_t)cfg->addr;
    if (!p) return probe_fail(out, GPCRACE_PCALL_ARGUMENT, EINVAL);
    struct uffd_mon *m = malloc(sizeof(*m));
    if (!m) return probe_fail(out, GPCRACE_PCALL_ARGUMENT, ENOMEM);
    pthread_t t;
    int64_t r = session_open(m, cfg, 0, &t, out);
    if (r < 0) { free(m); return r; }
    int64_t *total = samples, *to_mon = samples + n, *to_resume = samples + 2 * n;
    uint64_t first = 0, last = 0;
    r = n;
    for (int64_t i = 0; i < n; i++) {
        if (madvise(p, PROBE_PAGE, MADV_DONTNEED)) { r = probe_fail(out, GPCRACE_PCALL_MADVISE, errno); break; }
        uint64_t t0 = probe_begin();
        (void)*(volatile char *)p;         /* missing: the monitor resolves it */
        uint64_t t1 = probe_end();
        if ((r = wait_seq(m, (uint64_t)i + 1, out)) < 0) break;
        r = n;
        uint64_t tm = LOAD_ACQ(&m->t_msg);
        total[i] = (int64_t)(t1 - t0);
        to_mon[i] = (int64_t)(tm - t0);
        to_resume[i] = (int64_t)(t1 - tm);
        if (i == 0) first = t0;
        last = t1;
    }
    session_close(m, t);
    free(m);
    if (r < 0) return r;
    for (int64_t i = 0; i < 3 * n; i++) samples[i] = probe_ns(samples[i]);
    out->elapsed_ns = probe_ns((int64_t)(last - first));
    return n;
}

int64_t probe_uffd_remove(const struct gpcrace_probe_cfg *cfg, int64_t *samples, int64_t n,
                          struct gpcrace_probe_out *out)
{
    char *p = (char *)(intptr_t)cfg->addr;
    if (!p) return probe_fail(out, GPCRACE_PCALL_ARGUMENT, EINVAL);
    struct uffd_mon *m = malloc(sizeof(*m));
    if (!m) return probe_fail(out, GPCRACE_PCALL_ARGUMENT, ENOMEM);
    pthread_t t;
    struct gpcrace_probe_cfg c = *cfg;
    c.variant = GPCRACE_PRESOLVE_COPY;
    int64_t r = session_open(m, &c, UFFD_FEATURE_EVENT_REMOVE, &t, out);
    if (r < 0) { free(m); return r; }
    int64_t *blocked = samples, *wake = samples + n;
    uint64_t first = 0, last = 0, seq = 0;
    r = n;
    for (int64_t i = 0; i < n; i++) {
        /* repopulate (untimed) by UFFDIO_COPY from this thread; EEXIST: still there */
        struct uffdio_copy cp = {.dst = (uint64_t)(uintptr_t)p, .src = (uint64_t)(uintptr_t)m->src, .len = PROBE_PAGE};
        if (ioctl(m->uffd, UFFDIO_COPY, &cp) && errno != EEXIST) { r = probe_fail(out, GPCRACE_PCALL_UFFDIO_COPY, errno); break; }
        uint64_t t0 = probe_begin();
        if (madvise(p, PROBE_PAGE, MADV_DONTNEED)) { r = probe_fail(out, GPCRACE_PCALL_MADVISE, errno); break; }
        uint64_t t1 = probe_end();
        if ((r = wait_seq(m, ++seq, out)) < 0) break;
        r = n;
        uint64_t tm = LOAD_ACQ(&m->t_msg);
        blocked[i] = (int64_t)(t1 - t0);
        wake[i] = (int64_t)(tm - t0);
        if (i == 0) first = t0;
        last = t1;
    }
    session_close(m, t);
    free(m);
    if (r < 0) return r;
    for (int64_t i = 0; i < 2 * n; i++) samples[i] = probe_ns(samples[i]);
    out->elapsed_ns = probe_ns((int64_t)(last - first));
    return n;
}
