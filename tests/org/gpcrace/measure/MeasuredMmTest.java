package org.gpcrace.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridges.Isolation;
import org.gpcrace.protocol.Source;
import org.gpcrace.result.LatencyExtra;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No JVM thread can run in the measured address space during a probe point (--isolation
 * process): while a madvise point runs in the actor, a sampler asks the kernel, every few ms, for
 * every JVM thread, whether it shares the actor's mm (kcmp KCMP_VM), and lists the actor's
 * threads (their count stays within what the probe starts). Its twin runs the same check on
 * --isolation jvm and must find every JVM thread in the measured mm: the check can fail.
 */
class MeasuredMmTest {
    @TempDir Path out;

    /** Samples JVM threads sharing the measured mm, and the measured process's thread count, while the probe runs. */
    private static final class Sampler implements Runnable {
        final MeasuredMm mm;
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Integer> sharing = new ArrayList<>(), tasks = new ArrayList<>();

        Sampler(MeasuredMm mm) { this.mm = mm; }

        @Override public void run() {
            while (!stop.get()) {
                sharing.add(mm.jvmThreadsSharing().size());
                tasks.add(mm.tasks());
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private List<Object> runWithSampler(NativeBridge bridge) throws Exception {
        MeasuredMm mm = new MeasuredMm(bridge);
        var o = ProbeHarness.options(out, 20_000, List.of(4096L), ProbeHarness.twoCpus() ? List.of(1) : List.of(0), List.of(),
                List.of(Source.DONTNEED));
        Sampler s = new Sampler(mm);
        Thread th = Thread.ofPlatform().start(s);
        List<TestResult> r;
        try {
            r = ProbeHarness.run(new MadviseProbe(), o, bridge);
        } finally {
            s.stop.set(true);
            th.join();
        }
        return List.of(s, r);
    }

    @Test
    void noJvmThreadSharesTheActorsMmDuringAProbePoint() throws Exception {
        NativeBridge actor = Isolation.PROCESS.bridge(Bridges.open("ffm"));
        List<Object> got = runWithSampler(actor);
        Sampler s = (Sampler) got.get(0);
        assertTrue(s.sharing.size() >= 10, "the sampler ran during the probe: " + s.sharing.size() + " samples");
        assertTrue(s.sharing.stream().allMatch(n -> n == 0), "JVM threads sharing the measured mm, per sample: " + s.sharing);
        int most = ProbeHarness.twoCpus() ? 2 : 1; // the measuring thread and one spinner
        assertTrue(s.tasks.stream().allMatch(n -> n >= 1 && n <= most), "the actor's threads per sample: " + s.tasks);
        TestResult t = ProbeHarness.only((List<TestResult>) got.get(1), "latency-madvise-dontneed");
        LatencyExtra x = (LatencyExtra) t.extra();
        assertEquals("process", x.isolation().mode());
        assertNotEquals(ProcessHandle.current().pid(), x.isolation().measuredPid());
        assertEquals(Boolean.FALSE, x.isolation().sharesJvmMm(), "kcmp: the measured mm is not the JVM's");
        assertEquals(0, x.isolation().jvmThreadsInMm());
        assertEquals("gpcrace-actor", x.isolation().measuredExe());
        for (LatencyExtra.PointEvidence p : x.points()) {
            assertTrue(p.mmThreads() <= most, p.toString());
            assertTrue(o().containsAll(p.mmCpus()), "the mm ran only on the probe's CPUs: " + p);
        }
    }

    private static List<Integer> o() { return ProbeHarness.options(Path.of("."), 1).cpus(); }

    /** The twin: in the JVM every JVM thread shares the measured mm, and the check says so. */
    @Test
    void theCheckFindsTheJvmThreadsWhenTheProbeRunsInTheJvm() throws Exception {
        List<Object> got = runWithSampler(Bridges.open("ffm"));
        Sampler s = (Sampler) got.get(0);
        assertFalse(s.sharing.isEmpty());
        assertTrue(s.sharing.stream().allMatch(n -> n > 3), "the JVM's threads (main, JIT, GC, ...) share its own mm: " + s.sharing);
        LatencyExtra x = (LatencyExtra) ProbeHarness.only((List<TestResult>) got.get(1), "latency-madvise-dontneed").extra();
        assertEquals("jvm", x.isolation().mode());
        assertEquals(Boolean.TRUE, x.isolation().sharesJvmMm());
        assertTrue(x.isolation().jvmThreadsInMm() > 3);
    }
}
