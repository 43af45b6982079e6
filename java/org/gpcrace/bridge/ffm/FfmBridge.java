package org.gpcrace.bridge.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
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

    private static final MethodHandle MMAP = Ffm.libcErrno("mmap", L_LLIIIL);
    private static final MethodHandle MUNMAP = Ffm.libcErrno("munmap", I_LL);
    private static final MethodHandle MADVISE = Ffm.libcErrno("madvise", I_LLI);
    private static final MethodHandle MPROTECT = Ffm.libcErrno("mprotect", I_LLI);
    private static final MethodHandle MLOCK = Ffm.libcErrno("mlock", I_LL);
    private static final MethodHandle MUNLOCK = Ffm.libcErrno("munlock", I_LL);
    private static final MethodHandle MEMFD_CREATE = Ffm.libcErrno("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FTRUNCATE = Ffm.libcErrno("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle FALLOCATE = Ffm.libcErrno("fallocate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle OPEN = Ffm.libcErrnoVariadic("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    private static final MethodHandle CLOSE = Ffm.libcErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle PREAD = Ffm.libcErrno("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle WRITE = Ffm.libcErrno("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle READ = Ffm.libcErrno("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle IOCTL = Ffm.libcErrnoVariadic("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), 2);
    private static final MethodHandle SYSCALL = Ffm.libcErrnoVariadic("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    private static final MethodHandle SCHED_SETAFFINITY = Ffm.libcErrno("sched_setaffinity", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle SCHED_GETCPU = Ffm.libcErrno("sched_getcpu", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETPID = Ffm.libc("getpid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle STRERROR = Ffm.libc("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static final MethodHandle VERSION = Ffm.helper("gpcrace_version", FunctionDescriptor.of(ADDRESS));
    private static final MethodHandle ABI_VERSION = Ffm.helper("gpcrace_abi_version", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle ERRNO_NAME = Ffm.helper("gpcrace_errno_name", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle NOOP = Ffm.helper("gpcrace_noop", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    private static final MethodHandle ABI_COUNT = Ffm.helper("gpcrace_abi_struct_count", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle ABI_NAME = Ffm.helper("gpcrace_abi_struct_name", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle ABI_SIZE = Ffm.helper("gpcrace_abi_struct_size", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    private static final MethodHandle ABI_NFIELDS = Ffm.helper("gpcrace_abi_field_count", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle ABI_FNAME = Ffm.helper("gpcrace_abi_field_name", FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ABI_FOFF = Ffm.helper("gpcrace_abi_field_offset", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT));
    private static final MethodHandle ABI_FSIZE = Ffm.helper("gpcrace_abi_field_size", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT));

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
        try { r = (long) MMAP.invokeExact(st, addr, length, prot, flags, fd, offset); }
        catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r == -1L) throw fail(st, "mmap(" + Ffm.hex(addr) + ", " + length + ", prot=" + prot + ", flags=0x"
                + Integer.toHexString(flags) + ", fd=" + fd + ", " + offset + ")");
        return r;
    }

    @Override public void munmap(long addr, long length) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) MUNMAP.invokeExact(st, addr, length); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "munmap(" + Ffm.hex(addr) + ", " + length + ")");
    }

    @Override public void madvise(long addr, long length, int advice) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) MADVISE.invokeExact(st, addr, length, advice); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "madvise(" + Ffm.hex(addr) + ", " + length + ", " + org.gpcrace.bridge.Linux.adviceName(advice) + ")");
    }

    @Override public void mprotect(long addr, long length, int prot) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) MPROTECT.invokeExact(st, addr, length, prot); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "mprotect(" + Ffm.hex(addr) + ", " + length + ", prot=" + prot + ")");
    }

    @Override public void mlock(long addr, long length) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) MLOCK.invokeExact(st, addr, length); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "mlock(" + Ffm.hex(addr) + ", " + length + ")");
    }

    @Override public void munlock(long addr, long length) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) MUNLOCK.invokeExact(st, addr, length); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "munlock(" + Ffm.hex(addr) + ", " + length + ")");
    }

    // ---- files

    @Override public int memfdCreate(String name, int flags) {
        MemorySegment st = Ffm.state();
        int r;
        try (Arena a = Arena.ofConfined()) {
            r = (int) MEMFD_CREATE.invokeExact(st, a.allocateFrom(name), flags);
        } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw fail(st, "memfd_create(\"" + name + "\", 0x" + Integer.toHexString(flags) + ")");
        return r;
    }

    @Override public void ftruncate(int fd, long length) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) FTRUNCATE.invokeExact(st, fd, length); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "ftruncate(fd=" + fd + ", " + length + ")");
    }

    @Override public void fallocate(int fd, int mode, long offset, long length) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) FALLOCATE.invokeExact(st, fd, mode, offset, length); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "fallocate(fd=" + fd + ", mode=0x" + Integer.toHexString(mode) + ", " + offset + ", " + length + ")");
    }

    @Override public int open(String path, int flags) {
        MemorySegment st = Ffm.state();
        int r;
        try (Arena a = Arena.ofConfined()) {
            r = (int) OPEN.invokeExact(st, a.allocateFrom(path), flags, 0);
        } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw fail(st, "open(\"" + path + "\", 0x" + Integer.toHexString(flags) + ")");
        return r;
    }

    @Override public void close(int fd) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) CLOSE.invokeExact(st, fd); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "close(" + fd + ")");
    }

    @Override public long pread(int fd, long buf, long count, long offset) {
        MemorySegment st = Ffm.state();
        long r;
        try { r = (long) PREAD.invokeExact(st, fd, buf, count, offset); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw fail(st, "pread(fd=" + fd + ", " + count + ", " + offset + ")");
        return r;
    }

    @Override public long write(int fd, long buf, long count) {
        MemorySegment st = Ffm.state();
        long r;
        try { r = (long) WRITE.invokeExact(st, fd, buf, count); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw fail(st, "write(fd=" + fd + ", " + count + ")");
        return r;
    }

    @Override public long read(int fd, long buf, long count) {
        MemorySegment st = Ffm.state();
        long r;
        try { r = (long) READ.invokeExact(st, fd, buf, count); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw fail(st, "read(fd=" + fd + ", " + count + ")");
        return r;
    }

    @Override public long ioctl(int fd, long request, long arg) {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) IOCTL.invokeExact(st, fd, request, arg); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw fail(st, "ioctl(fd=" + fd + ", 0x" + Long.toHexString(request) + ")");
        return r;
    }

    @Override public long syscall(long number, long a0, long a1, long a2, long a3, long a4, long a5) {
        MemorySegment st = Ffm.state();
        long r;
        try { r = (long) SYSCALL.invokeExact(st, number, a0, a1, a2, a3, a4, a5); } catch (Throwable t) { throw Ffm.rethrow(t); }
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
            r = (int) SCHED_SETAFFINITY.invokeExact(st, 0, 128L, mask.address());
        } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r != 0) throw fail(st, "sched_setaffinity(self, cpu " + cpu + ")");
    }

    @Override public int currentCpu() {
        MemorySegment st = Ffm.state();
        int r;
        try { r = (int) SCHED_GETCPU.invokeExact(st); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw fail(st, "sched_getcpu()");
        return r;
    }

    @Override public int getpid() {
        try { return (int) GETPID.invokeExact(); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    // ---- helper core

    @Override public String helperVersion() {
        try { return Ffm.string((MemorySegment) VERSION.invokeExact()); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public int helperAbiVersion() {
        try { return (int) ABI_VERSION.invokeExact(); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public long noop(long x) {
        try { return (long) NOOP.invokeExact(x); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public String errnoName(int errno) {
        String s;
        try { s = Ffm.string((MemorySegment) ERRNO_NAME.invokeExact(errno)); } catch (Throwable t) { throw Ffm.rethrow(t); }
        return s != null ? s : "E" + errno;
    }

    @Override public String strerror(int errno) {
        try { return Ffm.string((MemorySegment) STRERROR.invokeExact(errno)); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public AbiDescription abiDescription() {
        try {
            AbiDescription.Builder b = new AbiDescription.Builder();
            int n = (int) ABI_COUNT.invokeExact();
            for (int s = 0; s < n; s++) {
                b.struct(Ffm.string((MemorySegment) ABI_NAME.invokeExact(s)), (long) ABI_SIZE.invokeExact(s));
                int nf = (int) ABI_NFIELDS.invokeExact(s);
                for (int f = 0; f < nf; f++) {
                    b.field(Ffm.string((MemorySegment) ABI_FNAME.invokeExact(s, f)),
                            (long) ABI_FOFF.invokeExact(s, f), (long) ABI_FSIZE.invokeExact(s, f));
                }
            }
            return b.build();
        } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    private NativeCallException fail(MemorySegment state, String call) {
        int errno = Ffm.errno(state);
        return new NativeCallException(call, errno, errnoName(errno), strerror(errno));
    }
}
