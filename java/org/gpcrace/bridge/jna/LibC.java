package org.gpcrace.bridge.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The fixed-argument libc calls of the JNA bridge, direct-mapped (static natives bound by
 * Native.register: cheaper than an interface proxy). Pointers are raw addresses (long); errno is
 * read with Native.getLastError(), which JNA preserves per thread after each call. The variadic
 * calls (open, ioctl, syscall), which direct mapping cannot bind, are in {@link LibCVariadic}.
 */
final class LibC {
    static {
        Native.register(LibC.class, NativeLibrary.getInstance("c"));
    }

    private LibC() {}

    static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);
    static native int munmap(long addr, long length);
    static native int madvise(long addr, long length, int advice);
    static native int mprotect(long addr, long length, int prot);
    static native int mlock(long addr, long length);
    static native int munlock(long addr, long length);
    static native int memfd_create(String name, int flags);
    static native int ftruncate(int fd, long length);
    static native int fallocate(int fd, int mode, long offset, long length);
    static native int close(int fd);
    static native long pread(int fd, long buf, long count, long offset);
    static native long write(int fd, long buf, long count);
    static native long read(int fd, long buf, long count);
    static native int sched_setaffinity(int pid, long size, long mask);
    static native int sched_getcpu();
    static native int getpid();
    static native String strerror(int errno);
}
