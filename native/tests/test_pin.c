/*
 * pin and storm helpers: a vmsplice'd pipe and an io_uring registered buffer keep the old frame
 * after MADV_DONTNEED and after a MAP_FIXED remap (stale-pin); mlock makes DONTNEED fail with
 * EINVAL; the storm loop runs and stops; errors come back as -errno.
 */
#define _GNU_SOURCE
#include "gpcrace.h"
#include "check.h"
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PG 4096

static unsigned char *map_page(void)
{
    void *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED, "mmap");
    return p;
}

/* Moves the mapping to a new frame: DONTNEED (remap == 0) or MAP_FIXED over it (remap == 1). */
static void move_mapping(unsigned char *p, int remap)
{
    if (remap) CHECK(mmap(p, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p, "remap");
    else CHECK(madvise(p, PG, MADV_DONTNEED) == 0, "dontneed");
}

static void vmsplice_case(int remap)
{
    unsigned char *p = map_page();
    memset(p, 'A', PG);
    int32_t fds[2];
    CHECK(gpcrace_pin_pipe(fds) == 0, "pipe");
    CHECK(gpcrace_pin_vmsplice(fds[1], (uint64_t)(uintptr_t)p, PG) == PG, "vmsplice");
    move_mapping(p, remap);
    memset(p, 'B', PG);
    unsigned char buf[PG];
    CHECK(read(fds[0], buf, PG) == PG, "read pipe");
    CHECK(buf[0] == 'A' && buf[PG - 1] == 'A', "vmsplice/%s: pipe shows '%c', expected the old 'A'", remap ? "remap" : "dontneed", buf[0]);
    close(fds[0]);
    close(fds[1]);
    munmap(p, PG);
}

static void uring_case(int remap)
{
    struct gpcrace_uring u;
    int r = gpcrace_pin_uring_open(&u, 4);
    if (r == -ENOSYS || r == -EPERM) {
        printf("test_pin: io_uring refused here (%s), io_uring case skipped\n", strerror(-r));
        return;
    }
    CHECK(r == 0 && u.fd >= 0 && u.sq_entries >= 4, "uring open: %d", r);
    unsigned char *p = map_page();
    memset(p, 'A', PG);
    CHECK(gpcrace_pin_uring_register(&u, (uint64_t)(uintptr_t)p, PG) == 0, "register");
    move_mapping(p, remap);
    memset(p, 'B', PG);
    int mfd = memfd_create("test_pin", MFD_CLOEXEC);
    CHECK(mfd >= 0, "memfd");
    CHECK(gpcrace_pin_uring_write_fixed(&u, mfd, (uint64_t)(uintptr_t)p, PG, 0) == PG, "write_fixed");
    unsigned char buf[PG];
    CHECK(pread(mfd, buf, PG, 0) == PG, "pread");
    CHECK(buf[0] == 'A' && buf[PG - 1] == 'A', "io_uring/%s: buffer shows '%c', expected the old 'A'", remap ? "remap" : "dontneed", buf[0]);
    CHECK(gpcrace_pin_uring_unregister(&u) == 0, "unregister");
    CHECK(gpcrace_pin_uring_close(&u) == 0 && u.fd == -1, "close");
    CHECK(gpcrace_pin_uring_close(&u) == 0, "second close is a no-op");
    close(mfd);
    munmap(p, PG);
}

static void *stop_later(void *arg)
{
    struct gpcrace_storm *s = arg;
    struct timespec ts = { 0, 20 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    __atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
    return NULL;
}

static void storm_case(void)
{
    void *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED, "mmap");
    struct gpcrace_storm s = { .addr = (uint64_t)(uintptr_t)p, .pages = 4, .advice = MADV_DONTNEED, .touch = 1 };
    pthread_t t;
    CHECK(pthread_create(&t, NULL, stop_later, &s) == 0, "thread");
    CHECK(gpcrace_kvm_storm(&s) == 0 && s.err == 0, "storm: err %d", s.err);
    pthread_join(t, NULL);
    CHECK(s.invalidations > 0, "storm made no invalidation");
    struct gpcrace_storm bad = { .addr = (uint64_t)(uintptr_t)p + 1, .pages = 1, .advice = MADV_DONTNEED };
    CHECK(gpcrace_kvm_storm(&bad) == -EINVAL && bad.err == EINVAL, "unaligned range must fail with EINVAL");
    munmap(p, 4 * PG);
    printf("test_pin: storm made %llu invalidations in 20 ms\n", (unsigned long long)s.invalidations);
}

int main(void)
{
    for (int remap = 0; remap <= 1; remap++) {
        vmsplice_case(remap);
        uring_case(remap);
    }
    unsigned char *p = map_page();
    p[0] = 1;
    /* raw mlock: AddressSanitizer turns the libc mlock() into a no-op */
    if (syscall(SYS_mlock, p, PG) == 0) {
        CHECK(madvise(p, PG, MADV_DONTNEED) == -1 && errno == EINVAL, "mlock + DONTNEED must be refused with EINVAL");
        syscall(SYS_munlock, p, PG);
    } else {
        printf("test_pin: mlock refused (%s), mlock case skipped\n", strerror(errno));
    }
    munmap(p, PG);
    CHECK(gpcrace_pin_vmsplice(-1, 0, PG) == -EBADF, "vmsplice on a bad fd is -EBADF");
    struct gpcrace_uring closed = { .fd = -1 };
    CHECK(gpcrace_pin_uring_close(&closed) == 0, "closing a never-opened ring is a no-op");
    storm_case();
    printf("test_pin: ok\n");
    return 0;
}
