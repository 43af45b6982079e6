package org.gpcrace.bridge.jna;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.gpcrace.bridge.AbiDescription;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.NativeCallException;
import org.gpcrace.bridge.Linux;

/** The second bridge: JNA. Same interface, same results as the FFM bridge. */
public final class JnaBridge implements NativeBridge {

    private JnaBridge() {}

    public static NativeBridge create() { return new JnaBridge(); }

    @Override public String name() { return "jna"; }

    @Override public org.gpcrace.bridge.RaceNative race() { return new JnaRace(); }
    @Override public org.gpcrace.bridge.KernelNative kernel() { return new JnaKernel(this); }

    private final JnaProbe probe = new JnaProbe();

    @Override public org.gpcrace.bridge.ProbeNative probe() { return probe; }

    @Override public long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        long r = LibC.mmap(addr, length, prot, flags, fd, offset);
        if (r == -1L) throw fail("mmap(" + hex(addr) + ", " + length + ", prot=" + prot + ", flags=0x"
                + Integer.toHexString(flags) + ", fd=" + fd + ", " + offset + ")");
        return r;
    }

    @Override public void munmap(long addr, long length) {
        if (LibC.munmap(addr, length) != 0) throw fail("munmap(" + hex(addr) + ", " + length + ")");
    }

    @Override public void madvise(long addr, long length, int advice) {
        if (LibC.madvise(addr, length, advice) != 0)
            throw fail("madvise(" + hex(addr) + ", " + length + ", " + Linux.adviceName(advice) + ")");
    }

    @Override public void mprotect(long addr, long length, int prot) {
        if (LibC.mprotect(addr, length, prot) != 0) throw fail("mprotect(" + hex(addr) + ", " + length + ", prot=" + prot + ")");
    }

    @Override public void mlock(long addr, long length) {
        if (LibC.mlock(addr, length) != 0) throw fail("mlock(" + hex(addr) + ", " + length + ")");
    }

    @Override public void munlock(long addr, long length) {
        if (LibC.munlock(addr, length) != 0) throw fail("munlock(" + hex(addr) + ", " + length + ")");
    }

    @Override public int memfdCreate(String name, int flags) {
        int r = LibC.memfd_create(name, flags);
        if (r < 0) throw fail("memfd_create(\"" + name + "\", 0x" + Integer.toHexString(flags) + ")");
        return r;
    }

    @Override public void ftruncate(int fd, long length) {
        if (LibC.ftruncate(fd, length) != 0) throw fail("ftruncate(fd=" + fd + ", " + length + ")");
    }

    @Override public void fallocate(int fd, int mode, long offset, long length) {
        if (LibC.fallocate(fd, mode, offset, length) != 0)
            throw fail("fallocate(fd=" + fd + ", mode=0x" + Integer.toHexString(mode) + ", " + offset + ", " + length + ")");
    }

    @Override public int open(String path, int flags) {
        int r = LibCVariadic.INSTANCE.open(path, flags, 0);
        if (r < 0) throw fail("open(\"" + path + "\", 0x" + Integer.toHexString(flags) + ")");
        return r;
    }

    @Override public void close(int fd) {
        if (LibC.close(fd) != 0) throw fail("close(" + fd + ")");
    }

    @Override public long pread(int fd, long buf, long count, long offset) {
        long r = LibC.pread(fd, buf, count, offset);
        if (r < 0) throw fail("pread(fd=" + fd + ", " + count + ", " + offset + ")");
        return r;
    }

    @Override public long write(int fd, long buf, long count) {
        long r = LibC.write(fd, buf, count);
        if (r < 0) throw fail("write(fd=" + fd + ", " + count + ")");
        return r;
    }

    @Override public long read(int fd, long buf, long count) {
        long r = LibC.read(fd, buf, count);
        if (r < 0) throw fail("read(fd=" + fd + ", " + count + ")");
        return r;
    }

    @Override public long ioctl(int fd, long request, long arg) {
        int r = LibCVariadic.INSTANCE.ioctl(fd, request, arg);
        if (r < 0) throw fail("ioctl(fd=" + fd + ", 0x" + Long.toHexString(request) + ")");
        return r;
    }

    @Override public long syscall(long number, long a0, long a1, long a2, long a3, long a4, long a5) {
        long r = LibCVariadic.INSTANCE.syscall(number, a0, a1, a2, a3, a4, a5);
        if (r < 0) throw fail("syscall(" + number + ", " + a0 + ", " + a1 + ", ...)");
        return r;
    }

    @Override public void pinToCpu(int cpu) {
        try (Memory mask = new Memory(128)) {
            mask.clear();
            mask.setLong((cpu / 64) * 8L, 1L << (cpu % 64));
            if (LibC.sched_setaffinity(0, 128, Pointer.nativeValue(mask)) != 0)
                throw fail("sched_setaffinity(self, cpu " + cpu + ")");
        }
    }

    @Override public int currentCpu() {
        int r = LibC.sched_getcpu();
        if (r < 0) throw fail("sched_getcpu()");
        return r;
    }

    @Override public int getpid() { return LibC.getpid(); }

    @Override public String helperVersion() { return LibGpcrace.gpcrace_version(); }

    @Override public int helperAbiVersion() { return LibGpcrace.gpcrace_abi_version(); }

    @Override public long noop(long x) { return LibGpcrace.gpcrace_noop(x); }

    @Override public String errnoName(int errno) {
        String s = LibGpcrace.gpcrace_errno_name(errno);
        return s != null ? s : "E" + errno;
    }

    @Override public String strerror(int errno) { return LibC.strerror(errno); }

    @Override public AbiDescription abiDescription() { return AbiDescription.parse(LibGpcrace.gpcrace_abi_text()); }

    /** errno of the failed call, as JNA preserved it for this thread. */
    NativeCallException fail(String call) {
        int errno = Native.getLastError();
        return new NativeCallException(call, errno, errnoName(errno), strerror(errno));
    }

    static String hex(long v) { return "0x" + Long.toHexString(v); }
}
