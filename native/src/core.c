/* core: version, errno names, the no-op used to measure bridge overhead. */
#include "gpcrace.h"
#include <errno.h>

const char *gpcrace_version(void) { return "gpcrace-native 0.1.0 abi 1"; }
int gpcrace_abi_version(void) { return GPCRACE_ABI_VERSION; }

/* noinline so the C-direct baseline of the bridge probe really makes a call */
__attribute__((noinline)) int64_t gpcrace_noop(int64_t x)
{
    __asm__ volatile("" ::: "memory");
    return x;
}

#define E(x) case x: return #x
const char *gpcrace_errno_name(int err)
{
    switch (err) {
    E(EPERM); E(ENOENT); E(ESRCH); E(EINTR); E(EIO); E(ENXIO); E(E2BIG); E(ENOEXEC);
    E(EBADF); E(ECHILD); E(EAGAIN); E(ENOMEM); E(EACCES); E(EFAULT); E(EBUSY); E(EEXIST);
    E(EXDEV); E(ENODEV); E(ENOTDIR); E(EISDIR); E(EINVAL); E(ENFILE); E(EMFILE); E(ENOTTY);
    E(EFBIG); E(ENOSPC); E(ESPIPE); E(EROFS); E(EPIPE); E(ERANGE); E(EDEADLK);
    E(ENAMETOOLONG); E(ENOSYS); E(ENOTSUP); E(ETIMEDOUT); E(EOVERFLOW); E(EHWPOISON);
    E(ECANCELED); E(EOWNERDEAD); E(ENOTRECOVERABLE); E(EPROTO); E(ENODATA);
    default: return NULL;
    }
}
#undef E
