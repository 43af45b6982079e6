package org.gpcrace.measure;

import static org.gpcrace.measure.ProbeHarness.assertRan;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "operation + refault" is never cheaper than "operation alone" for the same range: it does the
 * same zap and then takes one page fault per page. Noise bound: its p50 may not fall below
 * 90% of the operation's p50 (in practice it is 2-10x larger: each refault costs about a microsecond).
 */
class MadviseRefaultTest {
    static final double NOISE = 0.90;
    @TempDir Path out;

    @Test
    void refaultAddsCostAtEverySize() throws Exception {
        var o = ProbeHarness.options(out, 400, List.of(4096L, 64L << 10), List.of(0), List.of(),
                List.of(InvalidationSource.DONTNEED, InvalidationSource.MPROTECT));
        for (TestResult t : ProbeHarness.run(new MadviseProbe(), o)) {
            assertRan(t);
            String src = t.name().substring("latency-madvise-".length());
            for (String size : List.of("4K", "64K")) {
                LatencySummary op = ProbeHarness.latency(t, src + " " + size + " sp0 op");
                LatencySummary both = ProbeHarness.latency(t, src + " " + size + " sp0 op+refault");
                assertTrue(both.p50() >= NOISE * op.p50(), src + " " + size + ": op+refault p50 " + both.p50()
                        + " ns is cheaper than op alone " + op.p50() + " ns beyond the noise bound");
            }
        }
    }
}
