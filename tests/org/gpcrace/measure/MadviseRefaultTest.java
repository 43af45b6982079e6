package org.gpcrace.measure;

import org.gpcrace.protocol.Source;
import static org.gpcrace.measure.ProbeHarness.assertRan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "operation + refault" is never cheaper than "operation alone" for the same range: it does the
 * same zap and then takes one page fault per page. Noise bounds: its minimum and its p50 may not
 * fall below 90% of the operation's, in at least one of 3 attempts after an unjudged warm-up run.
 * Why: the two modes are measured one after the other (400 iterations, a few ms each), and JVM
 * work on the other CPU (the JIT compiling the probe path, GC) during one pass makes that whole
 * pass pay TLB-shootdown IPIs, because this process's mm is then active there.
 */
class MadviseRefaultTest {
    static final double NOISE = 0.90;
    static final int ATTEMPTS = 3;
    @TempDir Path out;

    @Test
    void refaultAddsCostAtEverySize() throws Exception {
        List<String> failures = new ArrayList<>();
        ProbeHarness.run(new MadviseProbe(), options("warmup"));
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            failures.clear();
            for (TestResult t : ProbeHarness.run(new MadviseProbe(), options("attempt" + attempt))) {
                assertRan(t);
                String src = t.name().substring("latency-madvise-".length());
                for (String size : List.of("4K", "64K")) {
                    LatencySummary op = ProbeHarness.latency(t, src + " " + size + " sp0 op");
                    LatencySummary both = ProbeHarness.latency(t, src + " " + size + " sp0 op+refault");
                    if (both.min() < NOISE * op.min()) {
                        failures.add(src + " " + size + ": op+refault min " + both.min() + " ns < op alone " + op.min() + " ns");
                    }
                    if (both.p50() < NOISE * op.p50()) {
                        failures.add(src + " " + size + ": op+refault p50 " + both.p50() + " ns < op alone " + op.p50() + " ns");
                    }
                }
            }
            if (failures.isEmpty()) return;
        }
        throw new AssertionError("in each of " + ATTEMPTS + " attempts, op+refault was cheaper than op alone beyond the noise bound; last: "
                + failures);
    }

    private LatencyOptions options(String dir) {
        return ProbeHarness.options(out.resolve(dir), 400, List.of(4096L, 64L << 10), List.of(0), List.of(),
                List.of(Source.DONTNEED, Source.MPROTECT));
    }
}
