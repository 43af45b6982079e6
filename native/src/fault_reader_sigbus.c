/*
 * fault_reader_sigbus.c - WAIT_OUTSIDE's access: with UFFD_FEATURE_SIGBUS a missing page raises
 * SIGBUS at once instead of waiting in the kernel, as a kernel access under pagefault_disable()
 * (copy_from_user_inatomic) returns -EFAULT instead of sleeping. The handler jumps back to the
 * reader, which leaves its read-side section, waits for the page, and retries (the kernel's
 * "fault in outside the lock and retry"). Any other SIGBUS goes to the handler installed before
 * (the JVM's), called exactly as the kernel would.
 */
#define _GNU_SOURCE
#include "fault_reader.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define LOAD(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)

static struct {
    uint64_t lo, hi;
    struct fr_run *run;
    uint32_t active;
    struct sigaction previous;
} guard;
static pthread_mutex_t guard_mutex = PTHREAD_MUTEX_INITIALIZER;

/* The reader the signal interrupted, found by thread id (no thread-local storage: the helper
 * is dlopen'd, and gettid is async-signal-safe), when it armed its jump buffer. */
static struct fr_reader *armed_reader(void)
{
    int32_t tid = (int32_t)gettid();
    for (uint32_t i = 0; i < guard.run->cfg.readers; i++) {
        struct fr_reader *rd = &guard.run->readers[i];
        if (LOAD(&rd->tid) == tid) return LOAD(&rd->armed) ? rd : NULL;
    }
    return NULL;
}

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
    uintptr_t a = (uintptr_t)si->si_addr;
    struct fr_reader *rd = LOAD(&guard.active) && a >= guard.lo && a < guard.hi ? armed_reader() : NULL;
    if (rd) {
        STORE(&rd->armed, 0u);
        siglongjmp(rd->jb, 1); /* SA_NODEFER and an empty mask: nothing to restore */
    }
    if (guard.previous.sa_flags & SA_SIGINFO) {
        guard.previous.sa_sigaction(sig, si, uc);
    } else if (guard.previous.sa_handler == SIG_DFL) {
        signal(SIGBUS, SIG_DFL); /* returning re-executes the access, which now kills us as it should */
    } else if (guard.previous.sa_handler != SIG_IGN) {
        guard.previous.sa_handler(sig);
    }
}

int fr_sigbus_install(struct fr_run *run, uint64_t lo, uint64_t hi)
{
    pthread_mutex_lock(&guard_mutex);
    if (guard.active) {
        pthread_mutex_unlock(&guard_mutex);
        return -EBUSY;
    }
    guard.lo = lo;
    guard.hi = hi;
    guard.run = run;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sigaction(SIGBUS, NULL, &guard.previous);
    sa.sa_sigaction = on_sigbus;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_SIGINFO | SA_NODEFER | (guard.previous.sa_flags & (SA_ONSTACK | SA_RESTART));
    STORE(&guard.active, 1u);
    int r = sigaction(SIGBUS, &sa, NULL);
    if (r != 0) STORE(&guard.active, 0u);
    pthread_mutex_unlock(&guard_mutex);
    return r == 0 ? 0 : -errno;
}

void fr_sigbus_remove(void)
{
    pthread_mutex_lock(&guard_mutex);
    if (guard.active) {
        sigaction(SIGBUS, &guard.previous, NULL);
        STORE(&guard.active, 0u);
    }
    pthread_mutex_unlock(&guard_mutex);
}
