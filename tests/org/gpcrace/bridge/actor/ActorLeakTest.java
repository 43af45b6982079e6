package org.gpcrace.bridge.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.gpcrace.bridge.Isolated;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridges.Isolation;
import org.gpcrace.harness.Test;
import org.gpcrace.harness.TestContext;
import org.gpcrace.measure.Budget;
import org.gpcrace.measure.LatencyOptions;
import org.gpcrace.measure.LatencyProbes;
import org.gpcrace.measure.ProbeClock;
import org.gpcrace.measure.ProbeTest;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.protocol.Source;
import org.gpcrace.result.Status;
import org.gpcrace.result.TestResult;
import org.gpcrace.scenario.gpc.GpcConfig;
import org.gpcrace.scenario.gpc.GpcTest;
import org.gpcrace.sys.CpuList;
import org.gpcrace.sys.HostFacts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs in the actor process leave nothing behind in either process: 300 runs of a gpc test (guest
 * memory, a run, its batches) and of a latency probe (probe memory, chunks) through the one
 * shared actor keep the actor's file descriptors, mappings and threads, and the JVM's descriptors,
 * as they were after a warm-up. A leak of one per run would show as 300.
 */
class ActorLeakTest {
    static final int RUNS = 300, WARM_UP = 5;
    static final NativeBridge ACTOR = Isolation.PROCESS.bridge(Bridges.open("ffm"));

    static Stream<Arguments> scenarios() {
        List<Integer> cpus = CpuList.allowed();
        LatencyOptions probe = new LatencyOptions(List.of("madvise"), Budget.iterations(3, 0), List.of(4096L), List.of(0), List.of(0),
                cpus, List.of(), List.of(Source.FREE)); // FREE: DONTNEED adds the apparatus check, seconds per run
        HostFacts host = HostFacts.probe();
        ProbeClock clock = ProbeClock.select(ACTOR.probe(), host);
        return Stream.of(
                Arguments.of("gpc rwlock", (Supplier<Test>) () -> new GpcTest(GpcConfig.builder(Protocol.RWLOCK).rounds(3).build(), ACTOR)),
                Arguments.of("gpc pinned shmem remap", (Supplier<Test>) () -> new GpcTest(GpcConfig.builder(Protocol.PINNED).rounds(3).build(), ACTOR)),
                Arguments.of("latency madvise", (Supplier<Test>) () -> new ProbeTest(LatencyProbes.byId("madvise"), ACTOR, clock, probe, host)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void runsInTheActorLeaveBothProcessesAsTheyWere(String name, Supplier<Test> test) throws Exception {
        for (int k = 0; k < WARM_UP; k++) runOnce(name, test.get());
        long pid = ((Isolated) ACTOR).pid();
        long[] before = {count("/proc/" + pid + "/fd"), lines("/proc/" + pid + "/maps"), count("/proc/" + pid + "/task"), count("/proc/self/fd")};
        for (int k = 0; k < RUNS; k++) runOnce(name, test.get());
        assertEquals(pid, ((Isolated) ACTOR).pid(), "the same actor served every run");
        long[] after = {count("/proc/" + pid + "/fd"), lines("/proc/" + pid + "/maps"), count("/proc/" + pid + "/task"), count("/proc/self/fd")};
        System.out.printf("actor leak %-24s actor fds %d -> %d, mappings %d -> %d, threads %d -> %d; JVM fds %d -> %d over %d runs%n", name,
                before[0], after[0], before[1], after[1], before[2], after[2], before[3], after[3], RUNS);
        assertEquals(before[0], after[0], name + ": the actor's file descriptors");
        // a leak of one per run would show as 300; glibc may add an arena or grow one by a mapping once
        assertTrue(after[1] - before[1] <= 3, name + ": the actor's mappings " + before[1] + " -> " + after[1]);
        assertEquals(before[2], after[2], name + ": the actor's threads");
        assertTrue(after[3] - before[3] <= 2, name + ": the JVM's file descriptors " + before[3] + " -> " + after[3]);
    }

    static void runOnce(String name, Test t) throws Exception {
        List<TestResult> results = new ArrayList<>();
        t.run(new TestContext() {
            @Override public boolean stopRequested() { return false; }
            @Override public void progress(long done, String unit) { }
            @Override public void report(TestResult raw) { results.add(raw); }
            @Override public Path directory() { return Path.of(System.getProperty("java.io.tmpdir")); }
        });
        for (TestResult r : results) assertTrue(r.status() != Status.FAILED, name + ": " + r.name() + " failed: " + r.error());
    }

    static long count(String dir) throws IOException {
        try (var s = Files.list(Path.of(dir))) { return s.count(); }
    }

    static long lines(String file) throws IOException {
        try (var s = Files.lines(Path.of(file))) { return s.count(); }
    }
}
