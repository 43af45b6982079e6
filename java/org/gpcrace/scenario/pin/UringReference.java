package org.gpcrace.scenario.pin;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.Linux;

/**
 * io_uring registered buffer: IORING_REGISTER_BUFFERS pins the frames (FOLL_LONGTERM);
 * IORING_OP_WRITE_FIXED copies out of the pinned frames into a memfd, which is then read back.
 * One ring and one memfd for all trials; each trial registers and unregisters its page.
 */
final class UringReference implements PinReference {
    private final NativeBridge bridge;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment ring = arena.allocate(Layouts.GPCRACE_URING);
    private int memfd = -1;
    private boolean open;
    private boolean registered;

    /** Opens the ring; a kernel that refuses io_uring throws NativeCallException (the caller skips). */
    UringReference(NativeBridge bridge) {
        this.bridge = bridge;
        try {
            bridge.kernel().uringOpen(ring.address(), 4);
            open = true;
            memfd = bridge.memfdCreate("gpcrace-pin", Linux.MFD_CLOEXEC);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    int ringFd() { return (int) Layouts.GPCRACE_URING.varHandle(groupElement("fd")).get(ring, 0L); }

    @Override public String id() { return "io_uring"; }

    @Override public void take(long page) {
        bridge.kernel().uringRegister(ring.address(), page, Linux.PAGE_SIZE);
        registered = true;
    }

    @Override public void readAndRelease(long page, long buf) {
        long n = bridge.kernel().uringWriteFixed(ring.address(), memfd, page, Linux.PAGE_SIZE, 0);
        if (n != Linux.PAGE_SIZE) throw new IllegalStateException("IORING_OP_WRITE_FIXED wrote " + n + " of " + Linux.PAGE_SIZE + " bytes");
        if (bridge.pread(memfd, buf, Linux.PAGE_SIZE, 0) != Linux.PAGE_SIZE) throw new IllegalStateException("short pread of the memfd");
        bridge.kernel().uringUnregister(ring.address());
        registered = false;
    }

    @Override public void close() {
        try {
            if (registered) bridge.kernel().uringUnregister(ring.address());
        } finally {
            registered = false;
            try {
                if (open) bridge.kernel().uringClose(ring.address());
            } finally {
                open = false;
                try {
                    if (memfd >= 0) bridge.close(memfd);
                } finally {
                    memfd = -1;
                    if (arena.scope().isAlive()) arena.close();
                }
            }
        }
    }
}
