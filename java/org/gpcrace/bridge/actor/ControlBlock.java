package org.gpcrace.bridge.actor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.NativeCallException;
import org.gpcrace.bridge.Linux;

/**
 * The memfd Java shares with the actor process (native/actor/actor.h): header, config area, out
 * area, data area. Created and mapped through the chosen bridge (FFM or JNA: memfd_create,
 * ftruncate, mmap); its words are read and written with acquire/release ordering, and the two
 * sides wake each other with shared (not _PRIVATE) futexes through the bridge's syscall.
 */
final class ControlBlock implements AutoCloseable {
    // the header's field offsets, as actor.h lays them out (checked against the actor's layout[])
    static final int MAX_ACTORS = Layouts.GPC_MAX_ACTORS; // GPCRACE_GPC_MAX_ACTORS: actor_cpu[] grows with the engine's actors
    static final long MAGIC = 0, VERSION = 8, READY = 12, REQ = 16, ACK = 20, OP = 24, PID = 28, ARG = 32, RET = 96,
            DATA_BYTES = 160, CPUS = 168, ACTOR_CPU = 296, THREADS = ACTOR_CPU + 4L * MAX_ACTORS, LAYOUT_COUNT = THREADS + 4,
            LAYOUT = (LAYOUT_COUNT + 4 + 7) & ~7L, STR = LAYOUT + 8 * 16, ERR = STR + 256;
    static final long CFG_OFF = 4096, CFG_BYTES = 8192, OUT_OFF = 12288, OUT_BYTES = 4096, DATA_OFF = 65536;
    static final int STR_BYTES = 256, ERR_BYTES = 1024, CPU_WORDS = 16;
    static final long MAGIC_VALUE = 0x3174636172637067L;
    static final int VERSION_VALUE = 1;
    /** What the actor must report in layout[], in its order. */
    static final long[] EXPECTED_LAYOUT = {READY, REQ, ACK, OP, PID, ARG, RET, DATA_BYTES, CPUS, ACTOR_CPU, THREADS, STR, ERR,
            CFG_OFF, OUT_OFF, DATA_OFF};

    /** Sample buffers (3 series x 65536) and a gpc batch (16 MiB of round records) fit the data area. */
    static final long BYTES = DATA_OFF + (18L << 20);

    private static final long SYS_FUTEX = 202;
    private static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1;
    private static final int EAGAIN = 11, EINTR = 4, ETIMEDOUT = 110;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final NativeBridge bridge;
    private final int fd;
    private final long address;
    private final MemorySegment seg;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment timespec = arena.allocate(16, 8);

    ControlBlock(NativeBridge bridge) {
        this.bridge = bridge;
        this.fd = bridge.memfdCreate("gpcrace-actor-ctl", Linux.MFD_CLOEXEC);
        try {
            bridge.ftruncate(fd, BYTES);
            this.address = bridge.mmap(0, BYTES, Linux.PROT_RW, Linux.MAP_SHARED, fd, 0);
        } catch (RuntimeException e) {
            bridge.close(fd);
            throw e;
        }
        this.seg = MemorySegment.ofAddress(address).reinterpret(BYTES);
    }

    /** The path the actor opens to map the same memfd. */
    String path() { return "/proc/" + ProcessHandle.current().pid() + "/fd/" + fd; }

    MemorySegment segment() { return seg; }

    int intAcquire(long off) { return (int) INT.getAcquire(seg, off); }
    void intRelease(long off, int v) { INT.setRelease(seg, off, v); }
    int getInt(long off) { return seg.get(ValueLayout.JAVA_INT, off); }
    void setInt(long off, int v) { seg.set(ValueLayout.JAVA_INT, off, v); }
    long getLong(long off) { return seg.get(ValueLayout.JAVA_LONG, off); }
    void setLong(long off, long v) { seg.set(ValueLayout.JAVA_LONG, off, v); }

    /** A NUL-terminated string of at most max bytes at off. */
    String string(long off, int max) {
        byte[] b = new byte[max];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off, b, 0, max);
        int n = 0;
        while (n < max && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    void setString(long off, int max, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, max - 1);
        MemorySegment.copy(b, 0, seg, ValueLayout.JAVA_BYTE, off, n);
        seg.set(ValueLayout.JAVA_BYTE, off + n, (byte) 0);
    }

    /** The CPUs whose bits are set in the header's cpus[] words. */
    List<Integer> cpus() {
        List<Integer> l = new ArrayList<>();
        for (int w = 0; w < CPU_WORDS; w++) {
            long bits = getLong(CPUS + 8L * w);
            for (int b = 0; b < 64; b++) if ((bits & (1L << b)) != 0) l.add(w * 64 + b);
        }
        return l;
    }

    /** Sleeps while the word at off still holds val, at most timeoutNs (a wake, a change or the timeout ends it). */
    void futexWait(long off, int val, long timeoutNs) {
        timespec.set(ValueLayout.JAVA_LONG, 0, timeoutNs / 1_000_000_000L);
        timespec.set(ValueLayout.JAVA_LONG, 8, timeoutNs % 1_000_000_000L);
        try {
            bridge.syscall(SYS_FUTEX, address + off, FUTEX_WAIT, val, timespec.address(), 0, 0);
        } catch (NativeCallException e) {
            if (e.errno() != EAGAIN && e.errno() != EINTR && e.errno() != ETIMEDOUT) throw e;
        }
    }

    void futexWake(long off) { bridge.syscall(SYS_FUTEX, address + off, FUTEX_WAKE, 1, 0, 0, 0); }

    @Override public void close() {
        bridge.munmap(address, BYTES);
        bridge.close(fd);
        arena.close();
    }
}
