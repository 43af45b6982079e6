/*
 * compat.h - internal: kernel constants that older C library and uapi headers lack. The values
 * are the kernel's ABI (include/uapi/asm-generic/mman-common.h, include/uapi/linux/userfaultfd.h),
 * so a binary built against old headers still asks a new kernel for them; an old kernel answers
 * EINVAL, which the caller reports as a missing capability. The system headers come first, so a
 * definition here is used only where theirs is missing.
 */
#ifndef GPCRACE_COMPAT_H
#define GPCRACE_COMPAT_H
#include <sys/mman.h>
#include <linux/userfaultfd.h>

/* madvise(2) advice */
#ifndef MADV_COLD
#define MADV_COLD 20             /* Linux 5.4 */
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21          /* Linux 5.4 */
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23   /* Linux 5.14 */
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25         /* Linux 6.1 */
#endif

/* userfaultfd(2) flags, UFFDIO_API features, UFFDIO_REGISTER modes */
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1                        /* Linux 5.11 */
#endif
#ifndef UFFDIO_REGISTER_MODE_WP
#define UFFDIO_REGISTER_MODE_WP ((__u64)1 << 1)      /* Linux 5.7 */
#endif
#ifndef UFFD_FEATURE_WP_HUGETLBFS_SHMEM
#define UFFD_FEATURE_WP_HUGETLBFS_SHMEM (1 << 12)    /* Linux 5.19 */
#endif

#endif
