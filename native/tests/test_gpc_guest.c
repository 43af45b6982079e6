/*
 * test_gpc_guest.c - the guest-mode eviction against one reader at a time, deterministically:
 * a reader already kicked by another invalidation (EXITING_GUEST_MODE, not out yet) is waited for
 * too (kvm_request_needs_ipi with KVM_REQUEST_WAIT is "mode != OUTSIDE_GUEST_MODE"), counts as
 * needing a kick for the -EAGAIN policy, and is not kicked a second time; a reader outside guest
 * mode only gets the request.
 */
#define _GNU_SOURCE
#include "gpc.h"
#include "check.h"
#include "clock.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

static struct gpc g;

static void *leave_after_10ms(void *arg)
{
    (void)arg;
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
    gpc_guest_exit(&g, 0);
    return NULL;
}

int main(void)
{
    memset(&g, 0, sizeof(g));
    CHECK(gpc_guest_init(&g, 2) == 0, "gpc_guest_init");
    gpc_guest_register(&g, 0);
    gpc_guest_register(&g, 1);

    /* outside guest mode: the request only, nothing to wait for, even for -EAGAIN */
    struct gpc_wait w = {.nonblock = 1, .policy = GPCRACE_WAIT_NONE};
    CHECK(gpc_guest_evict(&g, &w) == 0 && w.kicks == 0, "outside: evict %u kicks", w.kicks);
    CHECK(g.vcpus[0].request == 1 && g.vcpus[1].request == 1, "the request is made for every reader");

    /* kicked by another invalidation, not out yet: -EAGAIN, and no second kick */
    g.vcpus[0].mode = GPC_EXITING_GUEST;
    g.vcpus[0].kick_t0 = 1;
    memset(&w, 0, sizeof(w));
    w.nonblock = 1;
    w.policy = GPCRACE_WAIT_NONE;
    CHECK(gpc_guest_evict(&g, &w) == -EAGAIN, "an exiting reader needs the wait: -EAGAIN");
    CHECK(w.kicks == 0 && g.vcpus[0].kick_t0 == 1, "not kicked twice (kicks %u)", w.kicks);

    /* blocking: waits until it is out */
    memset(&w, 0, sizeof(w));
    pthread_t t;
    CHECK(pthread_create(&t, NULL, leave_after_10ms, NULL) == 0, "pthread_create");
    int64_t t0 = mono_ns();
    CHECK(gpc_guest_evict(&g, &w) == 0, "blocking evict");
    int64_t waited = mono_ns() - t0;
    pthread_join(t, NULL);
    CHECK(g.vcpus[0].mode == GPC_OUTSIDE_GUEST, "the reader is out when the eviction returns");
    CHECK(waited >= 5 * 1000 * 1000, "the eviction waited for the exiting reader (%lld ns)", (long long)waited);

    gpc_guest_fini(&g);
    printf("test_gpc_guest: ok\n");
    return 0;
}
