/*
 * gpcrace-actor: the process whose address space holds only the measured actors (actor.h).
 *
 *   gpcrace-actor CTL_PATH BYTES PARENT_PID
 *
 * CTL_PATH names the control block memfd (the JVM passes /proc/<its pid>/fd/<memfd>); BYTES is
 * its size; PARENT_PID the JVM, which must be this process's parent. The actor dies with the
 * JVM twice over: PR_SET_PDEATHSIG(SIGKILL) for an abrupt end, and its stdin, a pipe whose write
 * end only the JVM holds, hanging up (checked while idle) for everything else.
 * Exit status: 0 after ACTOR_OP_EXIT or when the parent went away, 2 bad arguments, 3 the parent
 * is not the JVM named, 4 the control block cannot be mapped.
 */
#define _GNU_SOURCE
#include "actor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static pid_t parent;
static int stdin_is_pipe;

static int parent_alive(void)
{
    if (getppid() != parent) return 0;
    if (!stdin_is_pipe) return 1;
    struct pollfd p = {.fd = 0, .events = POLLIN};
    if (poll(&p, 1, 0) < 0) return errno == EINTR;
    return !(p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

static void on_usr1(int sig)
{
    (void)sig;
    actor_abort_all();
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: gpcrace-actor CTL_PATH BYTES PARENT_PID (started by gpcrace, not by hand)\n");
        return 2;
    }
    char *end;
    unsigned long long bytes = strtoull(argv[2], &end, 10);
    long ppid = strtol(argv[3], &end, 10);
    if (bytes < ACTOR_DATA_OFF || *end || ppid <= 0) {
        fprintf(stderr, "gpcrace-actor: bad arguments\n");
        return 2;
    }
    parent = (pid_t)ppid;
    /* SIGKILL when the parent dies; then check it did not die before the prctl took effect */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent) return 3;
    prctl(PR_SET_NAME, "gpcrace-actor");
    struct stat st;
    stdin_is_pipe = fstat(0, &st) == 0 && S_ISFIFO(st.st_mode);
    int fd = open(argv[1], O_RDWR | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) || (unsigned long long)st.st_size < bytes) {
        fprintf(stderr, "gpcrace-actor: cannot open the control block %s: %s\n", argv[1], strerror(errno));
        return 4;
    }
    void *base = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (base == MAP_FAILED) {
        fprintf(stderr, "gpcrace-actor: cannot map the control block: %s\n", strerror(errno));
        return 4;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    actor_ctl_init(base, bytes);
    actor_serve(base, bytes, parent_alive);
    return 0;
}
