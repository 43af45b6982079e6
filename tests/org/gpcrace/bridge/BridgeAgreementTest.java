package org.gpcrace.bridge;

import org.gpcrace.bridges.Bridges;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.gpcrace.bridge.Linux;
import org.junit.jupiter.api.Test;

/** The same deterministic sequence of operations through FFM and JNA gives identical results. */
class BridgeAgreementTest {

    /** Runs the sequence and records every observable result (values, errno names, sizes). */
    static List<String> sequence(NativeBridge b) {
        List<String> log = new ArrayList<>();
        long len = 4 * Linux.PAGE_SIZE;
        long a = b.mmap(0, len, Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
        MemorySegment s = MemorySegment.ofAddress(a).reinterpret(len);
        for (int p = 0; p < 4; p++) s.set(ValueLayout.JAVA_LONG, p * Linux.PAGE_SIZE, 100 + p);
        b.madvise(a + Linux.PAGE_SIZE, 2 * Linux.PAGE_SIZE, Linux.MADV_DONTNEED);
        for (int p = 0; p < 4; p++) log.add("anon page " + p + " = " + s.get(ValueLayout.JAVA_LONG, p * Linux.PAGE_SIZE));
        b.mprotect(a, Linux.PAGE_SIZE, Linux.PROT_READ);
        log.add("read-only page still reads " + s.get(ValueLayout.JAVA_LONG, 0));
        log.add("madvise(bad advice): " + errno(() -> b.madvise(a, Linux.PAGE_SIZE, 9999)));
        log.add("madvise(unaligned): " + errno(() -> b.madvise(a + 1, Linux.PAGE_SIZE, Linux.MADV_DONTNEED)));
        b.munmap(a, len);
        log.add("madvise(unmapped): " + errno(() -> b.madvise(a, Linux.PAGE_SIZE, Linux.MADV_DONTNEED)));

        int fd = b.memfdCreate("agree", Linux.MFD_CLOEXEC);
        b.ftruncate(fd, 2 * Linux.PAGE_SIZE);
        long m = b.mmap(0, 2 * Linux.PAGE_SIZE, Linux.PROT_RW, Linux.MAP_SHARED, fd, 0);
        MemorySegment ms = MemorySegment.ofAddress(m).reinterpret(2 * Linux.PAGE_SIZE);
        ms.set(ValueLayout.JAVA_LONG, 0, 7);
        ms.set(ValueLayout.JAVA_LONG, Linux.PAGE_SIZE, 8);
        b.madvise(m, 2 * Linux.PAGE_SIZE, Linux.MADV_DONTNEED);
        log.add("shmem after DONTNEED = " + ms.get(ValueLayout.JAVA_LONG, 0) + "," + ms.get(ValueLayout.JAVA_LONG, Linux.PAGE_SIZE));
        b.fallocate(fd, Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_KEEP_SIZE, 0, Linux.PAGE_SIZE);
        log.add("shmem after punch = " + ms.get(ValueLayout.JAVA_LONG, 0) + "," + ms.get(ValueLayout.JAVA_LONG, Linux.PAGE_SIZE));
        log.add("fallocate(bad mode): " + errno(() -> b.fallocate(fd, Linux.FALLOC_FL_PUNCH_HOLE, 0, Linux.PAGE_SIZE)));
        b.munmap(m, 2 * Linux.PAGE_SIZE);
        b.close(fd);
        log.add("close(closed fd): " + errno(() -> b.close(fd)));
        log.add("open(missing): " + errno(() -> b.open("/nonexistent/gpcrace", Linux.O_RDONLY)));
        log.add("noop(-5) = " + b.noop(-5));
        log.add("pid = " + b.getpid());
        b.pinToCpu(0);
        log.add("cpu after pin to 0 = " + b.currentCpu());
        log.add("errno name 22 = " + b.errnoName(22) + " / " + b.strerror(22));
        log.add("abi = " + b.abiDescription());
        return log;
    }

    static String errno(Runnable r) {
        try {
            r.run();
            return "no error";
        } catch (NativeCallException e) {
            return e.errnoName();
        }
    }

    @Test
    void ffmAndJnaGiveTheSameResults() throws Exception {
        List<String> ffm = new ArrayList<>(), jna = new ArrayList<>();
        // a fresh thread each so pinning does not leak into other tests
        Thread t1 = Thread.ofPlatform().start(() -> ffm.addAll(sequence(Bridges.open("ffm"))));
        t1.join();
        Thread t2 = Thread.ofPlatform().start(() -> jna.addAll(sequence(Bridges.open("jna"))));
        t2.join();
        assertFalse(ffm.isEmpty());
        assertEquals(ffm, jna);
        assertEquals("madvise(unmapped): ENOMEM", ffm.get(7), "the sequence really exercised errno capture");
    }
}
