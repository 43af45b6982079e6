package org.gpcrace.bridge.jna;

import com.sun.jna.Library;

/** The libc calls of the JNA bridge; pointers are raw addresses (long). errno: Native.getLastError(). */
public interface LibC extends Library {
    long mmap(long addr, long length, int prot, int flags, int fd, long offset);
    int munmap(long addr, long length);
    int madvise(long addr, long length, int advice);
    int mprotect(long addr, long length, int prot);
    int mlock(long addr, long length);
    int munlock(long addr, long length);
    int memfd_create(String name, int flags);
    int ftruncate(int fd, long length);
    int fallocate(int fd, int mode, long offset, long length);
    int open(String path, int flags, Object... mode);
    int close(int fd);
    long pread(int fd, long buf, long count, long offset);
    long write(int fd, long buf, long count);
    long read(int fd, long buf, long count);
    int ioctl(int fd, long request, Object... arg);
    long syscall(long number, Object... args);
    int sched_setaffinity(int pid, long size, long mask);
    int sched_getcpu();
    int getpid();
    String strerror(int errno);
}
