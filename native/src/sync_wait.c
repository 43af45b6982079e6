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

static int futex_wait_op(uint32_t *uaddr, uint32_t expected, int64_t timeout_ns, int op)
{
    struct timespec ts, *tp = NULL;
    if (timeout_ns >= 0) {
        ts.tv_sec = timeout_ns / 1000000000LL;
        ts.tv_nsec = timeout_ns % 1000000000LL;
        tp = &ts;
    }
    long r = syscall(SYS_futex, uaddr, op, expected, tp, NULL, 0);
    return r == 0 ? 0 : -errno;
}

static int futex_wake_op(uint32_t *uaddr, int nwake, int op)
{
    long r = syscall(SYS_futex, uaddr, op, nwake, NULL, NULL, 0);
    return r < 0 ? -errno : (int)r;
}

int sync_futex_wait(uint32_t *uaddr, uint32_t expected, int64_t timeout_ns)
{
    return futex_wait_op(uaddr, expected, timeout_ns, FUTEX_WAIT_PRIVATE);
}

int sync_futex_wake(uint32_t *uaddr, int nwake)
{
    return futex_wake_op(uaddr, nwake, FUTEX_WAKE_PRIVATE);
}

/* Without _PRIVATE: the word lives in memory two processes map (the actor's control block). */
int sync_futex_wait_shared(uint32_t *uaddr, uint32_t expected, int64_t timeout_ns)
{
    return futex_wait_op(uaddr, expected, timeout_ns, FUTEX_WAIT);
}

int sync_futex_wake_shared(uint32_t *uaddr, int nwake)
{
    return futex_wake_op(uaddr, nwake, FUTEX_WAKE);
}
