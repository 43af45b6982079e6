package org.gpcrace.bridge;

/**
 * Everything gpcrace calls natively: the libc calls and the C helper's entry points. Two
 * implementations, FFM (primary) and JNA, must give the same results. Pointers are raw
 * addresses ({@code long}): Java owns the memory (mapped through this bridge) and reads and
 * writes structs with the layouts in {@link Layouts}. Calls that can fail throw
 * {@link NativeCallException} carrying the errno.
 */
public interface NativeBridge {
    /** "ffm" or "jna". */
    String name();

    // ---- memory
    long mmap(long addr, long length, int prot, int flags, int fd, long offset);
    void munmap(long addr, long length);
    void madvise(long addr, long length, int advice);
    void mprotect(long addr, long length, int prot);
    void mlock(long addr, long length);
    void munlock(long addr, long length);

    // ---- files
    int memfdCreate(String name, int flags);
    void ftruncate(int fd, long length);
    void fallocate(int fd, int mode, long offset, long length);
    int open(String path, int flags);
    void close(int fd);
    long pread(int fd, long buf, long count, long offset);
    long write(int fd, long buf, long count);
    long read(int fd, long buf, long count);
    /** ioctl with a pointer or integer argument; returns the ioctl's non-negative result. */
    long ioctl(int fd, long request, long arg);
    /** A raw system call with up to six arguments (unused ones 0); returns its result. */
    long syscall(long number, long a0, long a1, long a2, long a3, long a4, long a5);

    // ---- scheduling (the calling thread)
    void pinToCpu(int cpu);
    int currentCpu();
    int getpid();

    // ---- the C helper (core)
    String helperVersion();
    int helperAbiVersion();
    /** The cheapest native call (returns x): bridge overhead without errno capture. */
    long noop(long x);
    /** Symbolic errno name ("ENOMEM"), or "E" + number when the helper does not know it. */
    String errnoName(int errno);
    /** strerror(errno). */
    String strerror(int errno);
    AbiDescription abiDescription();

    // ---- domains (each in its own interface, same two implementations)
    RaceNative race();
    KernelNative kernel();
    /** The latency probes (probe section of gpcrace.h). */
    ProbeNative probe();
}
