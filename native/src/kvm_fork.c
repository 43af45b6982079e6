/*
 * kvm-pvclock --source fork: fork(2) so that a child shares the guest's pages copy-on-write, then
 * the parent's write breaks the COW of one page. Two MMU-notifier invalidations of the parent's
 * mm reach KVM: copy_page_range() write-protects every private writable PTE of the VMA (range
 * start/end over the whole VMA, before the child exists as a copy), and wp_page_copy() moves the
 * written page onto a new frame (range start/end over that page). The child blocks every signal
 * and only waits for the parent's word on a pipe, then _exit()s: it runs no code of the JVM it
 * was forked from (only async-signal-safe calls), and dies with the parent (PR_SET_PDEATHSIG).
 */
#define _GNU_SOURCE
#include "gpcrace.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int64_t gpcrace_kvm_fork_cow(uint64_t addr)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) return -errno;
    int64_t t0 = mono_ns();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(p[0]);
        close(p[1]);
        return -e;
    }
    if (pid == 0) {
        sigset_t all;
        sigfillset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        char c;
        while (read(p[0], &c, 1) < 0 && errno == EINTR) {
        }
        _exit(0);
    }
    /* the parent's write: the page is shared with the child now, so this is the COW break */
    volatile unsigned char *b = (volatile unsigned char *)(uintptr_t)addr;
    *b = (unsigned char)(*b + 1);
    int64_t t1 = mono_ns();
    close(p[0]);
    ssize_t w;
    do {
        w = write(p[1], "x", 1);
    } while (w < 0 && errno == EINTR);
    close(p[1]);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -errno;
    }
    (void)t0;
    return t1;
}
