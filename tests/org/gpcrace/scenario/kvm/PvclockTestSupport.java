package org.gpcrace.scenario.kvm;

import org.gpcrace.protocol.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.CpuList;

/** Small configurations of kvm-pvclock for the tests, and a look at what the process still holds. */
final class PvclockTestSupport {
    private PvclockTestSupport() {}

    static PvclockConfig config(long runs, Source source, ClockUpdate clock, long stormRuns, long memslotPairs, boolean busted) {
        List<Integer> cpus = CpuList.allowed();
        return PvclockConfig.of(runs, source, clock, 30_000, 10_000, stormRuns, 16, true, 10_000_000, 10_000_000_000L,
                memslotPairs, 200, 1, cpus.get(0), cpus.get(Math.min(1, cpus.size() - 1)), busted);
    }

    static List<TestResult> run(NativeBridge bridge, PvclockConfig c) throws InterruptedException {
        return run(bridge, c, () -> false);
    }

    static List<TestResult> run(NativeBridge bridge, PvclockConfig c, BooleanSupplier stop) throws InterruptedException {
        return new PvclockScenario(bridge, c, stop).run(t -> { });
    }

    static TestResult named(List<TestResult> tests, String name) {
        return tests.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no test " + name));
    }

    /** Open fds and mappings of this process that belong to KVM (/dev/kvm, kvm-vm, kvm-vcpu). */
    static List<String> kvmResources() throws IOException {
        List<String> held = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.contains("kvm")) held.add("fd " + fd.getFileName() + " -> " + target);
                } catch (IOException gone) {
                    // the fd closed while listing (the listing's own fd, other threads)
                }
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) if (line.contains("kvm")) held.add("map " + line);
        return held;
    }
}
