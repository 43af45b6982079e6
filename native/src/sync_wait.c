/*
 * sync_wait.c - the two ways a primitive waits: asleep on a futex(2) word, or busy with a
 * pause per step (the kernel's cpu_relax).
 */
#define _GNU_SOURCE
#include "sync_wait.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

void sync_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    __asm__ volatile("" ::: "memory");
#endif
}

int sync_futex_wait(uint32_t *uaddr, uint32_t expected, int64_t timeout_ns)
{
    struct timespec ts, *tp = NULL;
    if (timeout_ns >= 0) {
        ts.tv_sec = timeout_ns / 1000000000LL;
        ts.tv_nsec = timeout_ns % 1000000000LL;
        tp = &ts;
    }
    long r = syscall(SYS_futex, uaddr, FUTEX_WAIT_PRIVATE, expected, tp, NULL, 0);
    return r == 0 ? 0 : -errno;
}

int sync_futex_wake(uint32_t *uaddr, int nwake)
{
    long r = syscall(SYS_futex, uaddr, FUTEX_WAKE_PRIVATE, nwake, NULL, NULL, 0);
    return r < 0 ? -errno : (int)r;
}
