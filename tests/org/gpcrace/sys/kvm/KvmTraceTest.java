package org.gpcrace.sys.kvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.gpcrace.TestCaps;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.sys.HostChanges;
import org.gpcrace.bridge.Linux;
import org.gpcrace.sys.kvm.KvmTrace.TraceEvent;
import org.junit.jupiter.api.Test;

/** The trace lines the kernel prints, parsed; and a live instance on this machine, removed after. */
class KvmTraceTest {
    @Test
    void eventLinesAreParsed() {
        TraceEvent u = TraceEvent.parse("   gpcrace-invali-4711    (   4700) [001] d..1.  2540.344946: kvm_unmap_hva_range:"
                + " mmu notifier unmap range: 0x00007f1234567000 -- 0x00007f1234568000");
        assertEquals(2540_344_946_000L, u.tsNs());
        assertEquals(4711, u.pid());
        assertEquals(4700, u.tgid());
        assertEquals(1, u.cpu());
        assertArrayEquals(new long[] {0x7f1234567000L, 0x7f1234568000L}, u.hvaRange());
        assertTrue(u.covers(0x7f1234567000L) && u.covers(0x7f1234567fffL) && !u.covers(0x7f1234568000L));
        TraceEvent p = TraceEvent.parse(" <...>-9 (-------) [000] ..... 12.000001: kvm_pvclock_update: vcpu_id 3, pvclock { version 2,"
                + " tsc_timestamp 0x1, system_time 0x2, tsc_to_system_mul 0x3, tsc_shift -1, flags 0x2 }");
        assertEquals(3, p.vcpuId());
        assertEquals(-1, p.tgid());
        assertNull(p.hvaRange());
        TraceEvent t = TraceEvent.parse("  java-1-2 (  1) [000] d..1.  1.000000: tlb_flush: pages:1 reason:local shootdown (2)");
        assertEquals(2, t.pid(), "the comm may hold dashes: the pid is the number after the last one");
        assertEquals(2, t.tlbReason());
        TraceEvent x = TraceEvent.parse(" gpcrace-vcpu-77 (  70) [001] d..2.  5.000000: kvm_exit: vcpu 0 reason EXTERNAL_INTERRUPT rip 0x2"
                + " info1 0x0 info2 0x0 intr_info 0x800000ec error_code 0x00000000 requests 0x0");
        assertEquals("EXTERNAL_INTERRUPT", x.exitReason());
        assertEquals(0, x.vcpuId());
        assertNull(TraceEvent.parse("# tracer: nop"));
    }

    @Test
    void lostEventsAreReadFromTheStats() {
        assertEquals(7, KvmTrace.lostEvents("entries: 1\noverrun: 4\ncommit overrun: 0\nbytes: 1\ndropped events: 3\n"));
    }

    @Test
    void aLiveInstanceRecordsThisProcessesFlushesOnTheToolsClockAndGoesAway() throws Exception {
        TestCaps.assume("tracefs");
        NativeBridge b = Bridges.open("ffm");
        long page = b.mmap(0, Linux.PAGE_SIZE, Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
        KvmTrace trace = KvmTrace.open(Map.of("tlb/tlb_flush", "reason != 0", "kvm/no_such_event", ""), 1024);
        var dir = trace.directory();
        KvmTrace.Capture c;
        long t0, t1;
        try {
            assertEquals(1, HostChanges.openChanges().stream().filter(e -> e.path().equals(dir.toString())).count(),
                    "the instance is journaled: " + HostChanges.openChanges());
            trace.start();
            t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                MemorySegment.ofAddress(page).reinterpret(8).set(ValueLayout.JAVA_LONG, 0, i + 1);
                b.madvise(page, Linux.PAGE_SIZE, Linux.MADV_DONTNEED);
            }
            t1 = System.nanoTime();
            c = trace.stop();
        } finally {
            trace.close();
            b.munmap(page, Linux.PAGE_SIZE);
        }
        assertFalse(Files.exists(dir), "the instance must be removed");
        assertEquals(List.of(), HostChanges.openChanges());
        assertEquals(List.of("kvm/no_such_event"), c.missingEvents());
        assertEquals(0, c.lost());
        assertTrue(c.clockSkewNs() <= 1000, "trace clock 'mono' and System.nanoTime disagree by " + c.clockSkewNs() + " ns");
        long mine = c.named("tlb_flush").stream().filter(e -> e.tgid() == ProcessHandle.current().pid())
                .filter(e -> e.tsNs() + KvmTrace.HALF_US >= t0 && e.tsNs() - KvmTrace.HALF_US <= t1).count();
        assertTrue(mine >= 20, "20 DONTNEEDs of a touched page, " + mine + " TLB flushes of this process in the window: " + c.counts());
    }
}
