/*
 * segv_guard.c - the mprotect source makes the guest range PROT_NONE for a moment; a reader of
 * an unsafe protocol that touches it then takes SIGSEGV. The guard makes that access wait until
 * the protection is back and then retry (in the kernel the stale access would go through khva,
 * which PROT_NONE does not affect). Any other SIGSEGV goes to the handler installed before us
 * (the JVM's, which uses SIGSEGV for its own purposes), called exactly as the kernel would.
 */
#define _GNU_SOURCE
#include "segv_guard.h"
#include "sync.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#define LOAD(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)

static struct {
    uint64_t lo, hi;
    const uint32_t *prot_none;
    const uint32_t *abort;
    uint32_t active;
    struct sigaction previous;
} guard;
static pthread_mutex_t guard_mutex = PTHREAD_MUTEX_INITIALIZER;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    uintptr_t a = (uintptr_t)si->si_addr;
    if (LOAD(&guard.active) && a >= guard.lo && a < guard.hi) {
        while (LOAD(guard.prot_none) && !LOAD(guard.abort)) sync_cpu_relax();
        return; /* the faulting access runs again, now on a read-write page */
    }
    if (guard.previous.sa_flags & SA_SIGINFO) {
        guard.previous.sa_sigaction(sig, si, uc);
    } else if (guard.previous.sa_handler == SIG_DFL) {
        signal(SIGSEGV, SIG_DFL); /* returning re-executes the access, which now kills us as it should */
    } else if (guard.previous.sa_handler != SIG_IGN) {
        guard.previous.sa_handler(sig);
    }
}

int segv_guard_install(uint64_t lo, uint64_t hi, const uint32_t *prot_none, const uint32_t *abort)
{
    pthread_mutex_lock(&guard_mutex);
    if (guard.active) {
        pthread_mutex_unlock(&guard_mutex);
        return -EBUSY;
    }
    guard.lo = lo;
    guard.hi = hi;
    guard.prot_none = prot_none;
    guard.abort = abort;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sigaction(SIGSEGV, NULL, &guard.previous);
    sa.sa_sigaction = on_segv;
    sa.sa_mask = guard.previous.sa_mask;
    sa.sa_flags = SA_SIGINFO | (guard.previous.sa_flags & (SA_ONSTACK | SA_RESTART));
    STORE(&guard.active, 1u);
    int r = sigaction(SIGSEGV, &sa, NULL);
    if (r != 0) STORE(&guard.active, 0u);
    pthread_mutex_unlock(&guard_mutex);
    return r == 0 ? 0 : -errno;
}

void segv_guard_remove(void)
{
    pthread_mutex_lock(&guard_mutex);
    if (guard.active) {
        sigaction(SIGSEGV, &guard.previous, NULL);
        STORE(&guard.active, 0u);
    }
    pthread_mutex_unlock(&guard_mutex);
}
