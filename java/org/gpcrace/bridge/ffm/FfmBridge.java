package org.gpcrace.bridge.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import org.gpcrace.bridge.AbiDescription;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.NativeCallException;

/**
 * The primary bridge: Foreign Function and Memory API downcalls. Calls that can fail capture
 * errno; none uses Linker.Option.critical because most of them can block (madvise, ioctl, mmap).
 */
public final class FfmBridge implements NativeBridge {
    private static final FunctionDescriptor L_LLIIIL = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final FunctionDescriptor I_LL = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final FunctionDescriptor I_LLI = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);

    private static final Ffm.Downcall MMAP = Ffm.libcErrno("mmap", L_LLIIIL);
    private static final Ffm.Downcall MUNMAP = Ffm.libcErrno("munmap", I_LL);
    private static final Ffm.Downcall MADVISE = Ffm.libcErrno("madvise", I_LLI);
    private static final Ffm.Downcall MPROTECT = Ffm.libcErrno("mprotect", I_LLI);
    private static final Ffm.Downcall MLOCK = Ffm.libcErrno("mlock", I_LL);
    private static final Ffm.Downcall MUNLOCK = Ffm.libcErrno("munlock", I_LL);
    private static final Ffm.Downcall MEMFD_CREATE = Ffm.libcErrno("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final Ffm.Downcall FTRUNCATE = Ffm.libcErrno("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final Ffm.Downcall FALLOCATE = Ffm.libcErrno("fallocate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall OPEN = Ffm.libcErrnoVariadic("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    private static final Ffm.Downcall CLOSE = Ffm.libcErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final Ffm.Downcall PREAD = Ffm.libcErrno("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall WRITE = Ffm.libcErrno("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall READ = Ffm.libcErrno("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall IOCTL = Ffm.libcErrnoVariadic("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), 2);
    private static final Ffm.Downcall SYSCALL = Ffm.libcErrnoVariadic("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    private static final Ffm.Downcall SCHED_SETAFFINITY = Ffm.libcErrno("sched_setaffinity", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall SCHED_GETCPU = Ffm.libcErrno("sched_getcpu", FunctionDescriptor.of(JAVA_INT));
    private static final Ffm.Downcall GETPID = Ffm.libc("getpid", FunctionDescriptor.of(JAVA_INT));
    private static final Ffm.Downcall STRERROR = Ffm.libc("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static final Ffm.Downcall VERSION = Ffm.helper("gpcrace_version", FunctionDescriptor.of(ADDRESS));
    private static final Ffm.Downcall ABI_VERSION = Ffm.helper("gpcrace_abi_version", FunctionDescriptor.of(JAVA_INT));
    private static final Ffm.Downcall ERRNO_NAME = Ffm.helper("gpcrace_errno_name", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final Ffm.Downcall NOOP = Ffm.helper("gpcrace_noop", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall ABI_TEXT = Ffm.helper("gpcrace_abi_text", FunctionDescriptor.of(ADDRESS));

    private FfmBridge() {}

    public static NativeBridge create() { return new FfmBridge(); }

    @Override public String name() { return "ffm"; }

    @Override public org.gpcrace.bridge.RaceNative race() { return new FfmRace(); }
    @Override public org.gpcrace.bridge.KernelNative kernel() { return new FfmKernel(this); }

    @Override public org.gpcrace.bridge.ProbeNative probe() { return FfmProbe.INSTANCE; }

    // ---- memory

    @Override public long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        MemorySegment st = Ffm.state();
        long r;
        try { r = (long) MMAP.get().invokeExact(st, addr, length, prot, flags, fd, offset); }
        catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r == -1L) throw fail(st, "mmap(" + Ffm.hex(addr) + ", " + length + ", prot=" + prot + ", flags=0x"
                + Integer.toHexString(flags) + ", fd=" + fd + ", " + offset + ")");
        return r;
    }

    @Override public void munmap(long addr, long length) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) MUNMAP.get().invokeExact(st, addr, length); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "munmap(" + Ffm.hex(addr) + ", " + length + ")");
    }

    @Override public void madvise(long addr, long length, int advice) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) MADVISE.get().invokeExact(st, addr, length, advice); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "madvise(" + Ffm.hex(addr) + ", " + length + ", " + org.gpcrace.bridge.Linux.adviceName(advice) + ")");
    }

    @Override public void mprotect(long addr, long length, int prot) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) MPROTECT.get().invokeExact(st, addr, length, prot); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "mprotect(" + Ffm.hex(addr) + ", " + length + ", prot=" + prot + ")");
    }

    @Override public void mlock(long addr, long length) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) MLOCK.get().invokeExact(st, addr, length); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "mlock(" + Ffm.hex(addr) + ", " + length + ")");
    }

    @Override public void munlock(long addr, long length) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) MUNLOCK.get().invokeExact(st, addr, length); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "munlock(" + Ffm.hex(addr) + ", " + length + ")");
    }

    // ---- files

    @Override public int memfdCreate(String name, int flags) {
        MemorySegment st = Ffm.state();
        int r;
        try (Arena a = Arena.ofConfined()) {
            r = (int) MEMFD_CREATE.get().invokeExact(st, a.allocateFrom(name), flags);
        } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw fail(st, "memfd_create(\"" + name + "\", 0x" + Integer.toHexString(flags) + ")");
        return r;
    }

    @Override public void ftruncate(int fd, long length) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) FTRUNCATE.get().invokeExact(st, fd, length); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "ftruncate(fd=" + fd + ", " + length + ")");
    }

    @Override public void fallocate(int fd, int mode, long offset, long length) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) FALLOCATE.get().invokeExact(st, fd, mode, offset, length); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "fallocate(fd=" + fd + ", mode=0x" + Integer.toHexString(mode) + ", " + offset + ", " + length + ")");
    }

    @Override public int open(String path, int flags) {
        MemorySegment st = Ffm.state();
        int r;
        try (Arena a = Arena.ofConfined()) {
            r = (int) OPEN.get().invokeExact(st, a.allocateFrom(path), flags, 0);
        } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw fail(st, "open(\"" + path + "\", 0x" + Integer.toHexString(flags) + ")");
        return r;
    }

    @Override public void close(int fd) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) CLOSE.get().invokeExact(st, fd); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "close(" + fd + ")");
    }

    @Override public long pread(int fd, long buf, long count, long offset) {
        MemorySegment st = Ffm.state();
        long r;
        try { r = (long) PREAD.get().invokeExact(st, fd, buf, count, offset); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw fail(st, "pread(fd=" + fd + ", " + count + ", " + offset + ")");
        return r;
    }

    @Override public long write(int fd, long buf, long count) {
        MemorySegment st = Ffm.state();
        long r;
        try { r = (long) WRITE.get().invokeExact(st, fd, buf, count); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw fail(st, "write(fd=" + fd + ", " + count + ")");
        return r;
    }

    @Override public long read(int fd, long buf, long count) {
        MemorySegment st = Ffm.state();
        long r;
        try { r = (long) READ.get().invokeExact(st, fd, buf, count); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw fail(st, "read(fd=" + fd + ", " + count + ")");
        return r;
    }

    @Override public long ioctl(int fd, long request, long arg) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) IOCTL.get().invokeExact(st, fd, request, arg); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw fail(st, "ioctl(fd=" + fd + ", 0x" + Long.toHexString(request) + ")");
        return r;
    }

    @Override public long syscall(long number, long a0, long a1, long a2, long a3, long a4, long a5) {
        MemorySegment st = Ffm.state();
        long r;
        try { r = (long) SYSCALL.get().invokeExact(st, number, a0, a1, a2, a3, a4, a5); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw fail(st, "syscall(" + number + ", " + a0 + ", " + a1 + ", ...)");
        return r;
    }

    // ---- scheduling

    @Override public void pinToCpu(int cpu) {
        MemorySegment st = Ffm.state();
        int r;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mask = a.allocate(128);
            mask.set(JAVA_LONG, (cpu / 64) * 8L, 1L << (cpu % 64));
            r = (int) SCHED_SETAFFINITY.get().invokeExact(st, 0, 128L, mask.address());
        } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "sched_setaffinity(self, cpu " + cpu + ")");
    }

    @Override public int currentCpu() {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) SCHED_GETCPU.get().invokeExact(st); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw fail(st, "sched_getcpu()");
        return r;
    }

    @Override public int getpid() {
        try { return (int) GETPID.get().invokeExact(); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    // ---- helper core

    @Override public String helperVersion() {
        try { return Ffm.string((MemorySegment) VERSION.get().invokeExact()); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public int helperAbiVersion() {
        try { return (int) ABI_VERSION.get().invokeExact(); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public long noop(long x) {
        try { return (long) NOOP.get().invokeExact(x); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public String errnoName(int errno) {
        String s;
        try { s = Ffm.string((MemorySegment) ERRNO_NAME.get().invokeExact(errno)); } catch (Throwable t) { throw Ffm.rethrow(t); }
        return s != null ? s : "E" + errno;
    }

    @Override public String strerror(int errno) {
        try { return Ffm.string((MemorySegment) STRERROR.get().invokeExact(errno)); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public AbiDescription abiDescription() {
        try { return AbiDescription.parse(Ffm.string((MemorySegment) ABI_TEXT.get().invokeExact())); }
        catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    private NativeCallException fail(MemorySegment state, String call) {
        int errno = Ffm.errno(state);
        return new NativeCallException(call, errno, errnoName(errno), strerror(errno));
    }
}
