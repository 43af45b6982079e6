/*
 * The guest-mode kick test: a vCPU halted inside KVM_RUN (in-kernel irqchip, hlt with interrupts
 * off: kvm_vcpu_block() sleeps until a signal) is brought back to userspace by a signal to its
 * thread. The handler does nothing: its only job is to exist without SA_RESTART, so the blocked
 * KVM_RUN returns -EINTR (KVM checks signal_pending() in the halt loop). The JVM does not use
 * real-time signals, so one of them is free for this.
 */
#define _GNU_SOURCE
#include "gpcrace.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void kick_noop(int sig)
{
    (void)sig;
}

int gpcrace_kvm_kick_install(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = kick_noop;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: the interrupted ioctl returns EINTR */
    return sigaction(sig, &sa, NULL) == 0 ? 0 : -errno;
}

int gpcrace_kvm_kick(int32_t tid, int sig)
{
    return syscall(SYS_tgkill, getpid(), tid, sig) == 0 ? 0 : -errno;
}

int32_t gpcrace_gettid(void)
{
    return (int32_t)syscall(SYS_gettid);
}
