/*
 * pin: long-term page references through a pipe (vmsplice). The pipe keeps references to the
 * frames it was given; after the mapping moves on (DONTNEED, MAP_FIXED remap), reading the pipe
 * shows the old frame's content. Raw system calls; -errno on failure.
 */
#include "gpcrace.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

int gpcrace_pin_pipe(int32_t *fds)
{
    int raw[2];
    if (syscall(SYS_pipe2, raw, O_CLOEXEC) != 0) return -errno;
    fds[0] = raw[0];
    fds[1] = raw[1];
    return 0;
}

int64_t gpcrace_pin_vmsplice(int pipe_wr, uint64_t addr, uint64_t len)
{
    struct iovec iov = { .iov_base = (void *)(uintptr_t)addr, .iov_len = (size_t)len };
    long n = syscall(SYS_vmsplice, pipe_wr, &iov, 1UL, 0U);
    return n < 0 ? -errno : n;
}
