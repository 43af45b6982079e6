package org.gpcrace.measure;

import org.gpcrace.protocol.Source;
import static org.gpcrace.measure.ProbeHarness.assertRan;
import static org.gpcrace.measure.ProbeHarness.assertSane;
import static org.gpcrace.measure.ProbeHarness.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridge.NativeCallException;
import org.gpcrace.bridge.ProbeNative;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.Backing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe entry points give the same results through FFM and JNA. */
class ProbeBridgesAgreeTest {
    @TempDir Path out;

    @Test
    void namesAndSeriesAgree() {
        ProbeNative f = Bridges.open("ffm").probe(), j = Bridges.open("jna").probe();
        for (int p = 0; p <= ProbeNative.DRAIN; p++) {
            assertEquals(f.probeName(p), j.probeName(p));
            assertEquals(f.series(p), j.series(p));
            assertTrue(f.series(p) >= 1 && f.series(p) <= ProbeNative.MAX_SERIES, f.probeName(p));
        }
        assertEquals(-1, f.series(ProbeNative.DRAIN + 1), "the Java table ends where the native one does");
        assertEquals("madvise", f.callName(1));
        assertEquals(f.callName(ProbeNative.PCALL_USERFAULTFD), j.callName(ProbeNative.PCALL_USERFAULTFD));
    }

    @Test
    void calibrationAgrees() {
        ProbeNative f = Bridges.open("ffm").probe(), j = Bridges.open("jna").probe();
        long a = f.tscCalibrate(10_000_000), b = j.tscCalibrate(10_000_000);
        if (a == 0) {
            assertEquals(0, b);
            return;
        }
        assertTrue(Math.abs(a - b) < a / 100, "FFM " + a + " Hz vs JNA " + b + " Hz");
    }

    @Test
    void sameProbeThroughBothBridges() throws Exception {
        for (String bridge : List.of("ffm", "jna")) {
            var o = ProbeHarness.options(out, 200, List.of(4096L), List.of(0), List.of(Backing.ANON), List.of(Source.DONTNEED));
            TestResult refault = only(ProbeHarness.run(new RefaultProbe(), o, Bridges.open(bridge)), "latency-refault-anon");
            assertRan(refault);
            refault.latencies().forEach(l -> assertSane(l, 200));
        }
    }

    @Test
    void failuresNameTheCallOnBothBridges() {
        for (String bridge : List.of("ffm", "jna")) {
            try (NativeRun run = new NativeRun(Bridges.open(bridge), ProbeNative.MADVISE, 16)) {
                run.addr(1L << 20).length(100).source(Source.DONTNEED.probeCode()); // not whole pages: refused before any access
                var e = assertThrows(NativeCallException.class, () -> run.run(4));
                assertEquals("probe madvise: argument check failed: EINVAL (Invalid argument)", e.getMessage());
                assertEquals(22, e.errno());
            }
        }
    }
}
