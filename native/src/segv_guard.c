/*
 * segv_guard.c - the SIGSEGV guard (segv_guard.h). Any other SIGSEGV goes to the handler
 * installed before us (the JVM's, which uses SIGSEGV for its own purposes), called exactly as
 * the kernel would.
 */
#define _GNU_SOURCE
#include "segv_guard.h"
#include "sync.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

#define LOAD(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)

static struct {
    uint64_t lo, hi;
    uint64_t slots_lo, slots_hi;
    const uint32_t *prot_none;
    const uint32_t *abort;
    uint32_t active;
    struct sigaction previous;
} guard;
static pthread_mutex_t guard_mutex = PTHREAD_MUTEX_INITIALIZER;
static __thread uint32_t slot_hits;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    uintptr_t a = (uintptr_t)si->si_addr;
    if (LOAD(&guard.active) && a >= guard.lo && a < guard.hi) {
        while (LOAD(guard.prot_none) && !LOAD(guard.abort)) sync_cpu_relax();
        return; /* the faulting access runs again, now on a read-write page */
    }
    if (LOAD(&guard.active) && a >= guard.slots_lo && a < guard.slots_hi) {
        slot_hits++;
        void *page = (void *)(a & ~(uintptr_t)4095);
        if (mmap(page, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) return;
    }
    if (guard.previous.sa_flags & SA_SIGINFO) {
        guard.previous.sa_sigaction(sig, si, uc);
    } else if (guard.previous.sa_handler == SIG_DFL) {
        signal(SIGSEGV, SIG_DFL); /* returning re-executes the access, which now kills us as it should */
    } else if (guard.previous.sa_handler != SIG_IGN) {
        guard.previous.sa_handler(sig);
    }
}

uint32_t segv_guard_slot_hits(void) { return slot_hits; }

int segv_guard_install(uint64_t lo, uint64_t hi, const uint32_t *prot_none, const uint32_t *abort,
                       uint64_t slots_lo, uint64_t slots_hi)
{
    pthread_mutex_lock(&guard_mutex);
    if (guard.active) {
        pthread_mutex_unlock(&guard_mutex);
        return -EBUSY;
    }
    guard.lo = lo;
    guard.hi = hi;
    guard.slots_lo = slots_lo;
    guard.slots_hi = slots_hi;
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
