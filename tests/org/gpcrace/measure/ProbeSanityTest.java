package org.gpcrace.measure;

import org.gpcrace.protocol.Source;
import static org.gpcrace.measure.ProbeHarness.assertRan;
import static org.gpcrace.measure.ProbeHarness.assertSane;
import static org.gpcrace.measure.ProbeHarness.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.gpcrace.TestCaps;
import org.gpcrace.result.LatencyExtra;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.Table;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.Backing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every probe returns sane, non-empty histograms: count = iterations, min > 0,
 * min <= p50 <= p99 <= max. Probes that need a capability assume it; {@link #capableMachineSkipsNothing}
 * is their twin and fails when the machine has the capability but the probe skipped.
 */
class ProbeSanityTest {
    static final long N = 300;
    @TempDir Path out;

    @Test
    void madviseEveryPointIsSane() throws Exception {
        List<Integer> sp = ProbeHarness.twoCpus() ? List.of(0, 1) : List.of(0);
        var o = ProbeHarness.options(out, N, List.of(4096L, 16384L), sp, List.of(), List.of(Source.DONTNEED));
        TestResult t = only(ProbeHarness.run(new MadviseProbe(), o), "latency-madvise-dontneed");
        assertRan(t);
        assertEquals(2 * 2 * sp.size(), t.latencies().size(), "sizes x modes x spinner counts");
        for (LatencySummary l : t.latencies()) assertSane(l, N);
        LatencyExtra x = (LatencyExtra) t.extra();
        assertNotNull(x.apparatus(), "the DONTNEED test carries the apparatus ratio");
        assertNotNull(x.plainComparison(), "and the comparison with the separate plain C process");
        assertEquals(t.latencies().size(), x.points().size(), "every point carries its evidence of isolation");
    }

    @Test
    void everySourceRunsOnItsNaturalBacking() throws Exception {
        List<Source> sources = Source.in(Source.Scope.LATENCY);
        var o = ProbeHarness.options(out, 20, List.of(4096L, 2L << 20), List.of(0), List.of(), sources);
        List<TestResult> tests = ProbeHarness.run(new MadviseProbe(), o);
        assertEquals(sources.size(), tests.size());
        for (TestResult t : tests) {
            if (t.name().endsWith("collapse") && !TestCaps.has("thp")) {
                assertEquals("skipped", t.status(), t.name());
                continue;
            }
            assertRan(t);
            for (LatencySummary l : t.latencies()) assertSane(l, 20);
        }
    }

    @Test
    void refaultPerBacking() throws Exception {
        var o = ProbeHarness.options(out, N, List.of(4096L), List.of(0), List.of(Backing.ANON, Backing.SHMEM), List.of());
        List<TestResult> tests = ProbeHarness.run(new RefaultProbe(), o);
        for (String name : List.of("latency-refault-anon", "latency-refault-shmem")) {
            TestResult t = only(tests, name);
            assertRan(t);
            t.latencies().forEach(l -> assertSane(l, N));
        }
    }

    @Test
    void userfaultfdRoundTrips() throws Exception {
        TestCaps.assume("uffd-event-remove");
        var o = ProbeHarness.options(out, N);
        TestResult missing = only(ProbeHarness.run(new RefaultProbe(), o), "latency-uffd-missing");
        assertRan(missing);
        assertEquals(6, missing.latencies().size(), "copy and zeropage, three series each");
        assertSane(ProbeHarness.latency(missing, "uffd copy round trip"), N);
        assertSane(ProbeHarness.latency(missing, "uffd zeropage round trip"), N);
        TestResult remove = only(ProbeHarness.run(new UffdRemoveProbe(), o), "latency-uffd-remove");
        assertRan(remove);
        remove.latencies().forEach(l -> assertSane(l, N));
    }

    @Test
    void futexAndDrainAcrossCpus() throws Exception {
        assumeTrue(ProbeHarness.twoCpus(), "needs 2 CPUs (fix: run on a machine with two CPUs)");
        TestCaps.assume("invariant-tsc");
        var o = ProbeHarness.options(out, 200);
        TestResult futex = only(ProbeHarness.run(new FutexProbe(), o), "latency-futex");
        assertRan(futex);
        futex.latencies().forEach(l -> assertSane(l, 200));
        var d = ProbeHarness.options(out, 200, List.of(4096L), List.of(0, 1), List.of(), List.of());
        TestResult drain = only(ProbeHarness.run(new DrainProbe(), d), "latency-drain");
        assertRan(drain);
        assertEquals(6, drain.latencies().size(), "three steps x readers 0 and 1");
        drain.latencies().forEach(l -> assertSane(l, 200));
        // with a reader inside, every step must have waited for it at least sometimes
        Table waited = drain.tables().stream().filter(tb -> tb.name().equals(DrainProbe.WAITED_TABLE)).findFirst().orElseThrow();
        List<Double> r1 = waited.rows().stream().filter(r -> r.get(0) == 1.0).findFirst().orElseThrow();
        for (String k : DrainProbe.KINDS) {
            double w = r1.get(waited.column(k + " waited"));
            assertTrue(w > 0, k + " never waited for its reader: " + r1);
        }
    }

    @Test
    void clockReadsAreOrderedAndCounted() throws Exception {
        TestResult t = only(ProbeHarness.run(new ClockProbe(), ProbeHarness.options(out, N)), "latency-clock");
        assertRan(t);
        for (LatencySummary l : t.latencies()) {
            assertEquals(N, l.count(), l.metric());
            assertTrue(l.min() <= l.p50() && l.p50() <= l.p99() && l.p99() <= l.max(), l.toString());
            // plain rdtsc is unordered (two reads may coincide); every other clock must advance
            if (!l.metric().equals("rdtsc") && !l.metric().startsWith("TSC stamp")) assertTrue(l.min() > 0, l.toString());
        }
        if (TestCaps.has("invariant-tsc")) {
            assertTrue(t.figure("tscHz") > 100_000_000L, "TSC Hz");
            assertEquals((long) t.figure("tscHz"), ((LatencyExtra) t.extra()).clock().tscHz());
        }
    }

    /** The twin of the assumptions above: with the capability present, nothing may be skipped. */
    @Test
    void capableMachineSkipsNothing() throws Exception {
        var o = ProbeHarness.options(out, 50);
        if (TestCaps.has("uffd-event-remove")) {
            assertRan(only(ProbeHarness.run(new RefaultProbe(), o), "latency-uffd-missing"));
            assertRan(only(ProbeHarness.run(new UffdRemoveProbe(), o), "latency-uffd-remove"));
        }
        if (ProbeHarness.twoCpus() && TestCaps.has("invariant-tsc")) {
            assertRan(only(ProbeHarness.run(new FutexProbe(), o), "latency-futex"));
            assertRan(only(ProbeHarness.run(new ShootdownProbe(), o), "latency-shootdown"));
        } else {
            TestResult t = only(ProbeHarness.run(new ShootdownProbe(), o), "latency-shootdown");
            assertEquals("skipped", t.status());
            assertTrue(t.skip().reason().contains("needs"), t.skip().line());
        }
        if (TestCaps.has("thp")) {
            var c = ProbeHarness.options(out, 5, List.of(2L << 20), List.of(0), List.of(), List.of(Source.COLLAPSE));
            assertRan(only(ProbeHarness.run(new MadviseProbe(), c), "latency-madvise-collapse"));
        }
    }
}
