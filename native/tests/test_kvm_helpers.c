/*
 * kvm-pvclock's helpers outside KVM: the fork source leaves the parent's page on a new frame with
 * the byte written and reaps its child; the kick makes a thread blocked in a system call return
 * EINTR; gettid names the calling thread. (KVM itself is exercised by the Java tests.)
 */
#define _GNU_SOURCE
#include "gpcrace.h"
#include "check.h"
#include "clock.h"
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096

static uint64_t frame_of(void *p)
{
    int fd = open("/proc/self/pagemap", O_RDONLY);
    CHECK(fd >= 0, "pagemap");
    uint64_t e = 0;
    CHECK(pread(fd, &e, 8, (off_t)((uintptr_t)p / PG) * 8) == 8, "pagemap read");
    close(fd);
    return e & ((1ULL << 55) - 1);
}

static void fork_cow(void)
{
    unsigned char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED, "mmap");
    p[100] = 41;
    uint64_t before = frame_of(p);
    int64_t before_ns = mono_ns();
    int64_t ns = gpcrace_kvm_fork_cow((uint64_t)(uintptr_t)(p + 100));
    CHECK(ns > before_ns && ns <= mono_ns(), "fork_cow returned %lld, not a time inside the call", (long long)ns);
    CHECK(p[100] == 42, "the parent's write is %d", p[100]);
    uint64_t after = frame_of(p);
    /* frame numbers read 0 without CAP_SYS_ADMIN: only then can the move not be seen */
    CHECK(before == 0 || after != before, "the COW write left the page on frame %llx", (unsigned long long)before);
    CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD, "the child was not reaped");
    munmap(p, PG);
}

static int32_t blocked_tid;
static int blocked_errno;
static int pipe_fds[2];

static void *blocked_reader(void *arg)
{
    (void)arg;
    __atomic_store_n(&blocked_tid, gpcrace_gettid(), __ATOMIC_RELEASE);
    char c;
    ssize_t r = read(pipe_fds[0], &c, 1);
    __atomic_store_n(&blocked_errno, r < 0 ? errno : 0, __ATOMIC_RELEASE);
    return NULL;
}

static void kick(void)
{
    int sig = SIGRTMIN + 3;
    CHECK(gpcrace_kvm_kick_install(sig) == 0, "install");
    CHECK(pipe(pipe_fds) == 0, "pipe");
    pthread_t t;
    CHECK(pthread_create(&t, NULL, blocked_reader, NULL) == 0, "thread");
    while (__atomic_load_n(&blocked_tid, __ATOMIC_ACQUIRE) == 0) usleep(100);
    usleep(20000); /* let it block in read() */
    CHECK(gpcrace_kvm_kick(blocked_tid, sig) == 0, "tgkill");
    CHECK(pthread_join(t, NULL) == 0, "join");
    CHECK(blocked_errno == EINTR, "the blocked read returned errno %d, not EINTR", blocked_errno);
    CHECK(gpcrace_kvm_kick(0x7fffffff, sig) == -ESRCH, "a missing thread is -ESRCH");
    CHECK(gpcrace_gettid() == (int32_t)getpid(), "the main thread's tid is the pid");
    close(pipe_fds[0]);
    close(pipe_fds[1]);
}

int main(void)
{
    fork_cow();
    kick();
    printf("test_kvm_helpers: ok\n");
    return 0;
}
