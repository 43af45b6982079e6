package org.gpcrace.measure;

import org.gpcrace.sys.CpuList;
import org.gpcrace.protocol.Source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridges.Isolation;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.harness.TestContext;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.HostFacts;

/** Runs one probe with small settings through the Java API and collects its tests. */
final class ProbeHarness {
    private ProbeHarness() {}

    static LatencyOptions options(Path out, long iterations, List<Long> sizes, List<Integer> spinners, List<Backing> backings,
            List<Source> sources) {
        List<Integer> cpus = CpuList.allowed();
        List<Integer> use = cpus.size() > 1 ? cpus.subList(0, 2) : cpus;
        return new LatencyOptions(List.of(), Budget.iterations(iterations, 50), sizes, spinners, spinners, use, backings, sources);
    }

    static LatencyOptions options(Path out, long iterations) {
        return options(out, iterations, List.of(4096L), List.of(0), List.of(), List.of(Source.DONTNEED));
    }

    /** Runs the probe as users do by default: in the actor process (--isolation process), over FFM. */
    static List<TestResult> run(LatencyProbe probe, LatencyOptions o) throws Exception {
        return run(probe, o, Isolation.PROCESS.bridge(Bridges.open("ffm")));
    }

    static List<TestResult> run(LatencyProbe probe, LatencyOptions o, NativeBridge bridge) throws Exception {
        return run(probe, o, bridge, java.util.Set.of());
    }

    static List<TestResult> run(LatencyProbe probe, LatencyOptions o, NativeBridge bridge, java.util.Set<String> crossChecks) throws Exception {
        List<TestResult> tests = new ArrayList<>();
        HostFacts host = HostFacts.probe();
        ProbeContext ctx = new ProbeContext(bridge, ProbeClock.select(bridge.probe(), host), o, host, new TestContext() {
            @Override public boolean stopRequested() { return false; }
            @Override public void progress(long done, String unit) { }
            @Override public void report(TestResult raw) { tests.add(raw); }
            @Override public Path directory() { return OUT; }
        });
        probe.run(ctx.crossChecks(crossChecks));
        return tests;
    }

    /** Where the probes' interval logs and CSVs go in these tests. */
    static final Path OUT = tempDir();

    private static Path tempDir() {
        try {
            Path d = java.nio.file.Files.createTempDirectory("gpcrace-probe-test");
            d.toFile().deleteOnExit();
            return d;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static boolean twoCpus() { return CpuList.allowed().size() >= 2; }

    static TestResult only(List<TestResult> tests, String name) {
        return tests.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no test " + name + " in " + tests.stream().map(TestResult::name).toList()));
    }

    static LatencySummary latency(TestResult t, String metric) {
        return t.latencies().stream().filter(l -> l.metric().equals(metric)).findFirst()
                .orElseThrow(() -> new AssertionError("no latency " + metric + " in " + t.latencies().stream().map(LatencySummary::metric).toList()));
    }

    /** The sanity every histogram must have: count = iterations, min > 0, ordered percentiles. */
    static void assertSane(LatencySummary l, long iterations) {
        String m = l.metric() + ": " + l;
        assertEquals(iterations, l.count(), m);
        assertTrue(l.min() > 0, "min > 0: " + m);
        assertTrue(l.min() <= l.p50() && l.p50() <= l.p99() && l.p99() <= l.max(), "min <= p50 <= p99 <= max: " + m);
        assertEquals(iterations, l.histogram().getTotalCount(), "the encoded histogram holds every sample: " + m);
    }

    static void assertRan(TestResult t) {
        assertEquals(org.gpcrace.result.Status.RAN, t.status(), t.name() + ": " + (t.skip() != null ? t.skip().line() : t.error()));
    }
}
