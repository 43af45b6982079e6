package org.gpcrace.bridge;

import org.gpcrace.bridges.Bridges;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.gpcrace.bridge.Linux;
import org.junit.jupiter.api.Test;

/** The kernel domain through FFM and JNA: the same sequence gives the same results, errors name the call and errno. */
class KernelNativeTest {

    static List<String> sequence(NativeBridge b) throws Exception {
        List<String> log = new ArrayList<>();
        KernelNative k = b.kernel();
        long page = b.mmap(0, Linux.PAGE_SIZE, Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
        MemorySegment p = MemorySegment.ofAddress(page).reinterpret(Linux.PAGE_SIZE);
        try (Arena a = Arena.ofConfined()) {
            p.set(ValueLayout.JAVA_LONG, 0, 0x11);
            int[] pipe = k.pipe();
            log.add("vmsplice " + k.vmsplice(pipe[1], page, Linux.PAGE_SIZE));
            b.madvise(page, Linux.PAGE_SIZE, Linux.MADV_DONTNEED);
            p.set(ValueLayout.JAVA_LONG, 0, 0x22);
            MemorySegment buf = a.allocate(Linux.PAGE_SIZE);
            log.add("pipe read " + b.read(pipe[0], buf.address(), Linux.PAGE_SIZE) + " first word 0x" + Long.toHexString(buf.get(ValueLayout.JAVA_LONG, 0)));
            b.close(pipe[0]);
            b.close(pipe[1]);
            log.add("vmsplice(closed fd): " + errno(() -> k.vmsplice(pipe[1], page, Linux.PAGE_SIZE)));

            MemorySegment storm = a.allocate(Layouts.GPCRACE_STORM);
            Layouts.GPCRACE_STORM.varHandle(groupElement("addr")).set(storm, 0L, page + 1); // unaligned: madvise refuses
            Layouts.GPCRACE_STORM.varHandle(groupElement("pages")).set(storm, 0L, 1L);
            Layouts.GPCRACE_STORM.varHandle(groupElement("advice")).set(storm, 0L, Linux.MADV_DONTNEED);
            log.add("storm(unaligned): " + errno(() -> k.storm(storm.address())));
            Layouts.GPCRACE_STORM.varHandle(groupElement("addr")).set(storm, 0L, page);
            Layouts.GPCRACE_STORM.varHandle(groupElement("stop")).set(storm, 0L, 1);
            k.storm(storm.address());
            log.add("storm(stopped) invalidations " + Layouts.GPCRACE_STORM.varHandle(groupElement("invalidations")).get(storm, 0L));

            MemorySegment f = a.allocate(Layouts.GPCRACE_FAIRNESS);
            Layouts.GPCRACE_FAIRNESS.varHandle(groupElement("updater_gap_ns")).set(f, 0L, 0L);
            k.fairnessInit(f.address());
            MemorySegment waits = a.allocate(ValueLayout.JAVA_LONG, 5);
            log.add("fairness updates with nobody in the way: " + k.fairnessUpdater(f.address(), waits.address(), 5, 1_000_000_000L));
        } finally {
            b.munmap(page, Linux.PAGE_SIZE);
        }
        return log;
    }

    static String errno(Runnable r) {
        try {
            r.run();
            return "no error";
        } catch (NativeCallException e) {
            assertTrue(e.getMessage().startsWith(e.call()), e.getMessage());
            return e.errnoName();
        }
    }

    @Test
    void ffmAndJnaAgree() throws Exception {
        List<String> ffm = sequence(Bridges.open("ffm"));
        assertEquals(List.of("vmsplice 4096", "pipe read 4096 first word 0x11", "vmsplice(closed fd): EBADF", "storm(unaligned): EINVAL",
                "storm(stopped) invalidations 0", "fairness updates with nobody in the way: 5"), ffm);
        assertEquals(ffm, sequence(Bridges.open("jna")));
    }

    @Test
    void uringOpensAndClosesThroughBothBridges() {
        for (String name : Bridges.NAMES) {
            NativeBridge b = Bridges.open(name);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment u = a.allocate(Layouts.GPCRACE_URING);
                try {
                    b.kernel().uringOpen(u.address(), 4);
                } catch (NativeCallException refused) {
                    org.junit.jupiter.api.Assumptions.abort("io_uring refused here: " + refused.getMessage());
                }
                int fd = (int) Layouts.GPCRACE_URING.varHandle(groupElement("fd")).get(u, 0L);
                assertTrue(fd > 0, name);
                assertTrue((int) Layouts.GPCRACE_URING.varHandle(groupElement("sq_entries")).get(u, 0L) >= 4, name);
                b.kernel().uringClose(u.address());
                assertEquals(-1, (int) Layouts.GPCRACE_URING.varHandle(groupElement("fd")).get(u, 0L));
                assertThrows(NativeCallException.class, () -> b.kernel().uringRegister(u.address(), 0, 4096), "closed ring");
            }
        }
    }
}
