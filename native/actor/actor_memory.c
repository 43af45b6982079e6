/*
 * actor: memory and file calls made in the actor's address space, for the Java side's guest and
 * probe memory (org.gpcrace.sys.GuestMemory mapped through the actor bridge). Each returns the
 * call's result or -errno, like the libc call it wraps.
 */
#define _GNU_SOURCE
#include "actor.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

static int64_t check(long r) { return r < 0 ? -errno : r; }

int64_t actor_memory_op(struct actor_ctl *ctl)
{
    const int64_t *a = ctl->arg;
    void *p = (void *)(intptr_t)a[0];
    size_t len = (size_t)a[1];
    switch (ctl->op) {
    case ACTOR_OP_MMAP: {
        void *r = mmap(p, len, (int)a[2], (int)a[3], (int)a[4], (off_t)a[5]);
        return r == MAP_FAILED ? -errno : (int64_t)(intptr_t)r;
    }
    case ACTOR_OP_MUNMAP: return check(munmap(p, len));
    case ACTOR_OP_MADVISE: return check(madvise(p, len, (int)a[2]));
    case ACTOR_OP_MPROTECT: return check(mprotect(p, len, (int)a[2]));
    case ACTOR_OP_MLOCK: return check(a[2] ? mlock(p, len) : munlock(p, len));
    case ACTOR_OP_MEMFD_CREATE:
        ctl->str[sizeof(ctl->str) - 1] = '\0';
        return check(memfd_create(ctl->str, (unsigned)a[0]));
    case ACTOR_OP_FTRUNCATE: return check(ftruncate((int)a[0], (off_t)a[1]));
    case ACTOR_OP_FALLOCATE: return check(fallocate((int)a[0], (int)a[1], (off_t)a[2], (off_t)a[3]));
    case ACTOR_OP_CLOSE: return check(close((int)a[0]));
    default: return -ENOSYS;
    }
}
