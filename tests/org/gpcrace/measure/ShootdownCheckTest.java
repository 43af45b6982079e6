package org.gpcrace.measure;

import static org.gpcrace.measure.ProbeHarness.assertRan;
import static org.gpcrace.measure.ProbeHarness.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.gpcrace.TestCaps;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shootdown probe's negative-gap check: a real DONTNEED never leaves a stale translation in
 * use after madvise returned (FORBIDDEN count 0), and the same harness catches the broken
 * control, whose "zap" is a store made 5 us after the return stamp, in every iteration.
 */
class ShootdownCheckTest {
    static final long N = 300;
    @TempDir Path out;

    @BeforeEach
    void needsTwoCpusAndTsc() {
        assumeTrue(ProbeHarness.twoCpus(), "needs 2 CPUs (fix: run on a machine with two CPUs)");
        TestCaps.assume("invariant-tsc");
    }

    @Test
    void realZapIsNeverStaleAfterReturn() throws Exception {
        TestResult t = only(ProbeHarness.run(new ShootdownProbe(), ProbeHarness.options(out, N)), "latency-shootdown");
        assertRan(t);
        assertEquals(0, t.count("stale-after-return"), "stale translation used after madvise returned");
        assertEquals(0, t.count("harness-inconsistency"));
        assertEquals(N, t.count("ordered") + t.count("within-clock-offset"));
        t.latencies().forEach(l -> ProbeHarness.assertSane(l, N));
        // the new frame cannot be seen before the zap began
        assertTrue(ProbeHarness.latency(t, "visibility (entry->new frame)").min() > 0);
    }

    @Test
    void brokenControlIsCaughtEveryTime() throws Exception {
        TestResult t = only(ProbeHarness.run(new ShootdownProbe(true), ProbeHarness.options(out, 100)),
                "latency-shootdown-broken-control");
        assertRan(t);
        assertEquals(100, t.count("stale-after-return"), "the check missed stale loads 5 us after return");
        assertEquals(100, t.forbiddenRounds());
    }
}
