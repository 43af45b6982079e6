/*
 * pin: io_uring registered buffers, set up with raw system calls (no liburing). Registering a
 * buffer takes FOLL_LONGTERM pins on its frames; IORING_OP_WRITE_FIXED then copies out of the
 * pinned frames, whatever the process's mapping points to by then.
 */
#include "gpcrace.h"
#include <errno.h>
#include <linux/io_uring.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define U32_AT(base, off) ((uint32_t *)(uintptr_t)((base) + (off)))

static void unmap_rings(struct gpcrace_uring *u)
{
    if (u->sqes) munmap((void *)(uintptr_t)u->sqes, u->sqes_len);
    if (u->cq_ring && u->cq_ring != u->sq_ring) munmap((void *)(uintptr_t)u->cq_ring, u->cq_ring_len);
    if (u->sq_ring) munmap((void *)(uintptr_t)u->sq_ring, u->sq_ring_len);
    u->sqes = u->cq_ring = u->sq_ring = 0;
}

static uint64_t map_ring(int fd, uint64_t len, uint64_t off)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, (off_t)off);
    return p == MAP_FAILED ? 0 : (uint64_t)(uintptr_t)p;
}

int gpcrace_pin_uring_open(struct gpcrace_uring *u, uint32_t entries)
{
    struct io_uring_params p;
    memset(&p, 0, sizeof(p));
    memset(u, 0, sizeof(*u));
    u->fd = -1;
    int fd = (int)syscall(SYS_io_uring_setup, entries, &p);
    if (fd < 0) return -errno;
    u->fd = fd;
    u->sq_entries = p.sq_entries;
    u->cq_entries = p.cq_entries;
    u->features = p.features;
    u->sq_ring_len = p.sq_off.array + p.sq_entries * sizeof(uint32_t);
    u->cq_ring_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    if (p.features & IORING_FEAT_SINGLE_MMAP) {
        if (u->cq_ring_len > u->sq_ring_len) u->sq_ring_len = u->cq_ring_len;
        u->cq_ring_len = u->sq_ring_len;
    }
    u->sqes_len = p.sq_entries * sizeof(struct io_uring_sqe);
    int err = 0;
    if (!(u->sq_ring = map_ring(fd, u->sq_ring_len, IORING_OFF_SQ_RING))) err = errno;
    else if (p.features & IORING_FEAT_SINGLE_MMAP) u->cq_ring = u->sq_ring;
    else if (!(u->cq_ring = map_ring(fd, u->cq_ring_len, IORING_OFF_CQ_RING))) err = errno;
    if (!err && !(u->sqes = map_ring(fd, u->sqes_len, IORING_OFF_SQES))) err = errno;
    if (err) {
        unmap_rings(u);
        close(fd);
        u->fd = -1;
        return -err;
    }
    u->sq_head = p.sq_off.head;
    u->sq_tail = p.sq_off.tail;
    u->sq_mask = p.sq_off.ring_mask;
    u->sq_array = p.sq_off.array;
    u->cq_head = p.cq_off.head;
    u->cq_tail = p.cq_off.tail;
    u->cq_mask = p.cq_off.ring_mask;
    u->cqes = p.cq_off.cqes;
    return 0;
}

int gpcrace_pin_uring_register(struct gpcrace_uring *u, uint64_t addr, uint64_t len)
{
    struct iovec iov = { .iov_base = (void *)(uintptr_t)addr, .iov_len = (size_t)len };
    return syscall(SYS_io_uring_register, u->fd, IORING_REGISTER_BUFFERS, &iov, 1U) < 0 ? -errno : 0;
}

int gpcrace_pin_uring_unregister(struct gpcrace_uring *u)
{
    return syscall(SYS_io_uring_register, u->fd, IORING_UNREGISTER_BUFFERS, NULL, 0U) < 0 ? -errno : 0;
}

int64_t gpcrace_pin_uring_write_fixed(struct gpcrace_uring *u, int fd, uint64_t addr, uint64_t len, uint64_t offset)
{
    uint32_t mask = *U32_AT(u->sq_ring, u->sq_mask);
    uint32_t tail = __atomic_load_n(U32_AT(u->sq_ring, u->sq_tail), __ATOMIC_RELAXED);
    uint32_t idx = tail & mask;
    struct io_uring_sqe *sqe = (struct io_uring_sqe *)(uintptr_t)u->sqes + idx;
    memset(sqe, 0, sizeof(*sqe));
    sqe->opcode = IORING_OP_WRITE_FIXED;
    sqe->fd = fd;
    sqe->addr = addr;
    sqe->len = (uint32_t)len;
    sqe->off = offset;
    sqe->buf_index = 0;
    sqe->user_data = 0x67706372; /* "gpcr" */
    U32_AT(u->sq_ring, u->sq_array)[idx] = idx;
    __atomic_store_n(U32_AT(u->sq_ring, u->sq_tail), tail + 1, __ATOMIC_RELEASE);

    long r;
    do {
        r = syscall(SYS_io_uring_enter, u->fd, 1U, 1U, IORING_ENTER_GETEVENTS, NULL, 0UL);
    } while (r < 0 && errno == EINTR);
    if (r < 0) return -errno;

    uint32_t head = __atomic_load_n(U32_AT(u->cq_ring, u->cq_head), __ATOMIC_RELAXED);
    uint32_t ctail = __atomic_load_n(U32_AT(u->cq_ring, u->cq_tail), __ATOMIC_ACQUIRE);
    if (head == ctail) return -EPROTO; /* io_uring_enter returned without a completion */
    uint32_t cmask = *U32_AT(u->cq_ring, u->cq_mask);
    struct io_uring_cqe *cqe = (struct io_uring_cqe *)(uintptr_t)(u->cq_ring + u->cqes) + (head & cmask);
    int32_t res = cqe->res;
    __atomic_store_n(U32_AT(u->cq_ring, u->cq_head), head + 1, __ATOMIC_RELEASE);
    return res;
}

int gpcrace_pin_uring_close(struct gpcrace_uring *u)
{
    unmap_rings(u);
    int err = 0;
    if (u->fd >= 0 && close(u->fd) != 0) err = errno;
    u->fd = -1;
    return -err;
}
