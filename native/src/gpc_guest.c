/*
 * gpc_guest.c - a cache used by the CPU in guest mode (KVM_GUEST_USES_PFN, the mode "we're
 * looking at reintroducing" in "Re: [PATCH v2 01/20] locking/rt: Use raw_spin_lock_irqsave() in
 * __rwbase_read_unlock()", David Woodhouse, 1 June 2026). A reader checks the cache, enters
 * guest mode (vcpu->mode = IN_GUEST_MODE, then it looks for a pending request), drops the lock
 * and uses the cached frame with no lock until it is kicked: a real signal sent with tgkill, as
 * KVM's kvm_vcpu_kick sends an IPI. Its handler only notes the kick; the reader leaves guest
 * mode before its next access and acknowledges (vcpu->mode = OUTSIDE_GUEST_MODE).
 *
 * The invalidation (gfn_to_pfn_cache_invalidate_start's eviction) makes KVM_REQ_OUTSIDE_GUEST_MODE
 * for every reader, kicks those in guest mode (cmpxchg IN_GUEST -> EXITING, as
 * kvm_vcpu_exiting_guest_mode) and, with KVM_REQUEST_WAIT, waits until they are out, as
 * smp_call_function_many(wait) does: a wait for another CPU, busy, not a sleep. A non-blockable
 * start may instead not wait (NOWAIT: "be sad"), return -EAGAIN when any reader needed kicking
 * (NONE), or leave the wait to the defer worker (DEFER).
 */
#define _GNU_SOURCE
#include "gpc.h"
#include "clock.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static __thread volatile sig_atomic_t kicked;
static struct sigaction previous;
static int installed_signal;

static void on_kick(int sig)
{
    (void)sig;
    kicked = 1; /* the IPI arrived: the guest exits before its next instruction that matters */
}

int gpc_guest_init(struct gpc *g, uint32_t nvcpus)
{
    if (posix_memalign((void **)&g->vcpus, 64, nvcpus * sizeof(struct gpc_vcpu)) != 0) return -ENOMEM;
    memset(g->vcpus, 0, nvcpus * sizeof(struct gpc_vcpu));
    g->nvcpus = nvcpus;
    g->guest = 1;
    g->kick_signal = SIGRTMIN + 4;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_kick;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(g->kick_signal, &sa, &previous) != 0) {
        free(g->vcpus);
        g->vcpus = NULL;
        g->guest = 0;
        return -errno;
    }
    installed_signal = g->kick_signal;
    return 0;
}

void gpc_guest_fini(struct gpc *g)
{
    if (!g->guest) return;
    if (installed_signal) sigaction(installed_signal, &previous, NULL);
    installed_signal = 0;
    free(g->vcpus);
    g->vcpus = NULL;
    g->guest = 0;
}

void gpc_guest_register(struct gpc *g, int reader) { g->vcpus[reader].tid = (pid_t)syscall(SYS_gettid); }

int gpc_guest_enter(struct gpc *g, int reader)
{
    struct gpc_vcpu *v = &g->vcpus[reader];
    kicked = 0;
    G_STORE(&v->mode, GPC_IN_GUEST); /* smp_store_release(&vcpu->mode, IN_GUEST_MODE); smp_mb */
    if (G_LOAD(&v->request)) {        /* kvm_vcpu_exit_request: cancel the entry */
        G_STORE(&v->request, 0u);
        uint32_t m = __atomic_exchange_n(&v->mode, GPC_OUTSIDE_GUEST, __ATOMIC_SEQ_CST);
        if (m == GPC_EXITING_GUEST) sync_futex_wake(&v->mode, INT_MAX);
        return 0;
    }
    return 1;
}

int gpc_guest_kicked(void) { return kicked != 0; }

int64_t gpc_guest_exit(struct gpc *g, int reader)
{
    struct gpc_vcpu *v = &g->vcpus[reader];
    uint32_t m = __atomic_exchange_n(&v->mode, GPC_OUTSIDE_GUEST, __ATOMIC_SEQ_CST);
    G_STORE(&v->request, 0u);
    kicked = 0;
    if (m != GPC_EXITING_GUEST) return 0;
    int64_t ns = mono_ns() - G_LOAD(&v->kick_t0);
    sync_futex_wake(&v->mode, INT_MAX);
    return ns > 0 ? ns : 1;
}

int gpc_guest_wait_acks(struct gpc *g, uint32_t kick_mask, int policy, uint32_t *would_sleep)
{
    (void)would_sleep; /* waiting for another CPU to take the IPI is not a sleep */
    for (uint32_t r = 0; r < g->nvcpus && r < 32; r++) {
        if (!(kick_mask & (1u << r))) continue;
        struct gpc_vcpu *v = &g->vcpus[r];
        uint32_t n = 0;
        while (G_LOAD(&v->mode) == GPC_EXITING_GUEST) {
            if (g->abort && G_LOAD(g->abort)) return -ECANCELED;
            if (policy == GPCRACE_WAIT_SLEEP && ++n > 64) sync_futex_wait(&v->mode, GPC_EXITING_GUEST, SYNC_RECHECK_NS);
            else sync_cpu_relax();
        }
    }
    return 0;
}

int gpc_guest_evict(struct gpc *g, struct gpc_wait *w)
{
    uint32_t mask = 0;
    pid_t pid = getpid();
    for (uint32_t r = 0; r < g->nvcpus && r < 32; r++) {
        struct gpc_vcpu *v = &g->vcpus[r];
        G_STORE(&v->request, 1u); /* kvm_make_request, then smp_mb before reading the mode */
        uint32_t in = GPC_IN_GUEST;
        if (G_CAS(&v->mode, &in, GPC_EXITING_GUEST)) {
            G_STORE(&v->kick_t0, mono_ns());
            syscall(SYS_tgkill, pid, v->tid, g->kick_signal);
            mask |= 1u << r;
            w->kicks++;
        } else if (in == GPC_EXITING_GUEST) {
            /* kicked by another invalidation and not out yet: kvm_request_needs_ipi() with
             * KVM_REQUEST_WAIT is "mode != OUTSIDE_GUEST_MODE", so it is waited for too */
            mask |= 1u << r;
        }
    }
    if (!mask) return 0;
    if (w->nonblock) {
        switch (w->policy) {
        case GPCRACE_WAIT_NONE: return -EAGAIN;     /* "returning -EAGAIN if any vCPUs really did need kicking" */
        case GPCRACE_WAIT_NOWAIT: return 0;         /* "perform the request without KVM_REQUEST_WAIT and be sad" */
        case GPCRACE_WAIT_DEFER:
            gpc_defer_push(g, GPC_DEFER_ACKS, mask);
            w->deferred++;
            return 0;
        default: break;
        }
        return gpc_guest_wait_acks(g, mask, GPCRACE_WAIT_SPIN, &w->would_sleep);
    }
    return gpc_guest_wait_acks(g, mask, GPCRACE_WAIT_SLEEP, &w->would_sleep);
}
