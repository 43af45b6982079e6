package org.gpcrace;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.harness.Test;
import org.gpcrace.harness.TestContext;
import org.gpcrace.measure.Budget;
import org.gpcrace.measure.LatencyOptions;
import org.gpcrace.measure.LatencyProbes;
import org.gpcrace.measure.ProbeClock;
import org.gpcrace.measure.ProbeTest;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.protocol.Source;
import org.gpcrace.protocol.faultreader.FaultReaderVariant;
import org.gpcrace.result.Status;
import org.gpcrace.result.TestResult;
import org.gpcrace.scenario.faultreader.FaultReaderConfig;
import org.gpcrace.scenario.faultreader.FaultReaderTest;
import org.gpcrace.scenario.faultreader.RcuImpl;
import org.gpcrace.scenario.fairness.FairnessConfig;
import org.gpcrace.scenario.fairness.FairnessTest;
import org.gpcrace.scenario.gpc.GpcConfig;
import org.gpcrace.scenario.gpc.GpcTest;
import org.gpcrace.scenario.kvm.ClockUpdate;
import org.gpcrace.scenario.kvm.PvclockConfig;
import org.gpcrace.scenario.kvm.PvclockTest;
import org.gpcrace.scenario.memory.DontneedTest;
import org.gpcrace.scenario.pin.PinTest;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.CpuList;
import org.gpcrace.sys.HostFacts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 1,000 runs of each scenario in one JVM leave the file descriptors and memory mappings as they
 * were: every run releases its memfds, mappings, userfaultfds, KVM VMs, pipes and io_urings. A leak
 * of one descriptor or mapping per run would show as 1,000; the bound leaves room only for the
 * JVM's own (JIT code cache, heap and metaspace growth: up to +48 mappings seen late in a full run).
 */
class LeakTest {
    static final int RUNS = Integer.getInteger("gpcrace.leak.runs", 1000), WARM_UP = 5;
    static final NativeBridge BRIDGE = Bridges.open("ffm");

    static Stream<Arguments> scenarios() {
        List<Integer> cpus = CpuList.allowed();
        int v = cpus.get(0), i = cpus.get(Math.min(1, cpus.size() - 1));
        LatencyOptions probe = new LatencyOptions(List.of("madvise"), Budget.iterations(3, 0), List.of(4096L), List.of(0), List.of(0),
                cpus, List.of(), List.of(Source.FREE)); // FREE: DONTNEED adds the apparatus check, seconds per run
        HostFacts host = HostFacts.probe();
        ProbeClock clock = ProbeClock.select(BRIDGE.probe(), host);
        return Stream.of(
                Arguments.of("gpc rwlock", (Supplier<Test>) () -> new GpcTest(GpcConfig.builder(Protocol.RWLOCK).rounds(3).build(), BRIDGE)),
                Arguments.of("gpc uffd", (Supplier<Test>) () -> new GpcTest(GpcConfig.builder(Protocol.UFFD_INVALIDATE_THEN_READ).rounds(3).build(), BRIDGE)),
                Arguments.of("gpc pinned shmem remap", (Supplier<Test>) () -> new GpcTest(GpcConfig.builder(Protocol.PINNED).rounds(3).build(), BRIDGE)),
                Arguments.of("memory dontneed shmem", (Supplier<Test>) () -> new DontneedTest(Backing.SHMEM, BRIDGE)),
                Arguments.of("latency madvise", (Supplier<Test>) () -> new ProbeTest(LatencyProbes.byId("madvise"), BRIDGE, clock, probe, host)),
                Arguments.of("pin", (Supplier<Test>) () -> new PinTest(1, BRIDGE)),
                Arguments.of("kvm-pvclock", (Supplier<Test>) () -> new PvclockTest(PvclockConfig.of(3, Source.DONTNEED, ClockUpdate.KVMCLOCK_CTRL,
                        0, 0, 0, 16, true, 10_000_000, 10_000_000_000L, 0, 0, 1, v, i, false).withTrace(false), BRIDGE)),
                Arguments.of("fault-in-reader", (Supplier<Test>) () -> new FaultReaderTest(new FaultReaderConfig(
                        List.of(FaultReaderVariant.WAIT_OUTSIDE), RcuImpl.URCU_MEMB, 1, 2, 3, 1_000_000_000L, 500_000_000L,
                        2_000_000_000L, 0, true, cpus), FaultReaderVariant.WAIT_OUTSIDE, BRIDGE)),
                Arguments.of("memslot-fairness", (Supplier<Test>) () -> new FairnessTest(new FairnessConfig(1, 20_000, List.of(0.5), true, 1,
                        10_000, 1_000_000, 5_000_000, 50_000_000L, cpus, 0), BRIDGE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void aThousandRunsLeaveDescriptorsAndMappingsAsTheyWere(String name, Supplier<Test> test) throws Exception {
        for (int k = 0; k < WARM_UP; k++) runOnce(name, test.get());
        System.gc();
        long fds0 = fds(), maps0 = mappings(), t0 = System.nanoTime();
        for (int k = 0; k < RUNS; k++) runOnce(name, test.get());
        double secs = (System.nanoTime() - t0) / 1e9;
        System.gc();
        long fds1 = fds(), maps1 = mappings();
        System.out.printf("leak %-24s fds %d -> %d, mappings %d -> %d over %d runs (%.1f s)%n", name, fds0, fds1, maps0, maps1, RUNS, secs);
        assertTrue(fds1 - fds0 <= 2, name + ": file descriptors " + fds0 + " -> " + fds1 + " over " + RUNS + " runs");
        assertTrue(maps1 - maps0 <= 100, name + ": mappings " + maps0 + " -> " + maps1 + " over " + RUNS + " runs");
    }

    /** One run; every result must have run or been skipped for a missing capability (a failure here is not a leak test). */
    static void runOnce(String name, Test t) throws Exception {
        List<TestResult> results = new ArrayList<>();
        t.run(new TestContext() {
            @Override public boolean stopRequested() { return false; }
            @Override public void progress(long done, String unit) { }
            @Override public void report(TestResult raw) { results.add(raw); }
            @Override public Path directory() { return Path.of(System.getProperty("java.io.tmpdir")); }
        });
        for (TestResult r : results) {
            assertTrue(r.status() != Status.FAILED, name + ": " + r.name() + " failed: " + r.error());
        }
    }

    static long fds() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) { return s.count(); }
    }

    static long mappings() throws IOException {
        try (var s = Files.lines(Path.of("/proc/self/maps"))) { return s.count(); }
    }
}
