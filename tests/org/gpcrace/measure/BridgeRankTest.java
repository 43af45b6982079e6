package org.gpcrace.measure;

import static org.gpcrace.measure.ProbeHarness.assertRan;
import static org.gpcrace.measure.ProbeHarness.only;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge probe ranks C <= FFM <= JNA for the same call. Figures are noisy (other jobs share
 * the CPUs), so the tolerance is generous: a rank holds if the smaller p50 is at most 1.5x the
 * larger plus 5 ns. A broken ranking (e.g. the columns swapped) breaks it by far more: JNA's
 * no-op costs tens of times FFM's.
 */
class BridgeRankTest {
    @TempDir Path out;

    static void ranks(TestResult t, String call, String low, String high) {
        long a = ProbeHarness.latency(t, call + " " + low).p50(), b = ProbeHarness.latency(t, call + " " + high).p50();
        assertTrue(a <= 1.5 * b + 5, call + ": " + low + " p50 " + a + " ns should not exceed " + high + " p50 " + b + " ns");
    }

    @Test
    void cThenFfmThenJna() throws Exception {
        TestResult t = only(ProbeHarness.run(new BridgeProbe(), ProbeHarness.options(out, 300)), "latency-bridge");
        assertRan(t);
        for (String call : BridgeProbe.CALLS) {
            ranks(t, call, "C", "FFM");
            ranks(t, call, "FFM", "JNA");
            ProbeHarness.assertSane(ProbeHarness.latency(t, call + " C"), 300);
        }
        long ffm = ProbeHarness.latency(t, "noop FFM").p50(), jna = ProbeHarness.latency(t, "noop JNA").p50();
        assertTrue(jna > ffm, "JNA's no-op (" + jna + " ns) is dearer than FFM's (" + ffm + " ns)");
    }
}
