package org.gpcrace.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.result.Figure;
import org.gpcrace.result.LatencyExtra;
import org.gpcrace.result.TestResult;

/**
 * The evidence of isolation of a race test (run gpc): the machine's TLB-shootdown IPIs during the
 * whole test (setup and calibration included, so an upper bound) per round, the CPUs that
 * received them, where the measured address space was, and the CPU time the JVM's own threads
 * took beside the actors ({@link JvmCpu}): added to the test's figures, notes and params, so every
 * gpc result carries it like every latency point does.
 */
public final class RaceEvidence {
    private RaceEvidence() {}

    public static TestResult around(NativeBridge bridge, Supplier<TestResult> test) {
        MeasuredMm mm = new MeasuredMm(bridge);
        long[] before = TlbShootdowns.read();
        long jvmBefore = JvmCpu.othersNs();
        TestResult t = test.get();
        long jvmAfter = JvmCpu.othersNs();
        long[] after = TlbShootdowns.read();
        if (!t.ran()) return withParam(t, mm);
        PointEvidenceLog log = new PointEvidenceLog();
        log.chunk(t.rounds(), before, after, mm.isolated() ? mm.cpusOfLastCall(-1, List.of()) : List.of(), 0);
        LatencyExtra.PointEvidence p = log.point(t.name());
        LatencyExtra.IsolationInfo i = mm.info();
        List<Figure> figures = new ArrayList<>(t.figures());
        figures.add(new Figure("tlbShootdownsPerRound", p.shootdownsPerOperation(), "IPIs"));
        double jvmMs = jvmBefore >= 0 && jvmAfter >= jvmBefore ? (jvmAfter - jvmBefore) / 1e6 : -1;
        if (jvmMs >= 0) figures.add(new Figure("jvmOtherThreadsCpuMs", jvmMs, "ms"));
        List<String> notes = new ArrayList<>(t.notes());
        notes.add(String.format("isolation: %s; TLB-shootdown IPIs during the test (machine-wide, setup included): %d, %.3f per round,"
                + " received by CPUs %s", i.mode().equals("process")
                        ? "the actor process, pid " + i.measuredPid() + ", " + (Boolean.FALSE.equals(i.sharesJvmMm()) ? "not the JVM's mm (kcmp)" : "mm vs JVM unknown")
                                + ", its threads last ran on CPUs " + p.mmCpus()
                        : "the JVM's own address space: its " + i.jvmThreadsInMm() + " threads can run in it",
                p.tlbShootdowns(), p.shootdownsPerOperation(), p.ipiCpus()));
        if (jvmMs >= 0) {
            notes.add(String.format("the JVM's other threads (compilers, collector, progress) ran %.1f ms on the CPUs during the test"
                    + " (%.1f%% of its %.2f s; at least: a thread that ended took its time with it)", jvmMs,
                    t.durationSeconds() > 0 ? jvmMs / 10 / t.durationSeconds() : 0.0, t.durationSeconds()));
        } else {
            notes.add("the JVM's other threads' CPU time during the test is not known here: " + JvmCpu.UNKNOWN);
        }
        return new TestResult(t.name(), t.scenario(), params(t, mm), t.status(), t.skip(), t.error(), t.interrupted(), t.expectation(),
                t.verdict(), t.verdictReason(), t.unit(), t.rounds(), t.durationSeconds(), t.roundsPerSecond(), t.forbiddenRounds(),
                t.outcomes(), t.firstForbidden(), t.latencies(), figures, t.tables(), notes, t.extra());
    }

    private static Map<String, Object> params(TestResult t, MeasuredMm mm) {
        Map<String, Object> p = new LinkedHashMap<>(t.params());
        p.put("isolation", mm.isolated() ? "process" : "jvm");
        return p;
    }

    private static TestResult withParam(TestResult t, MeasuredMm mm) {
        return new TestResult(t.name(), t.scenario(), params(t, mm), t.status(), t.skip(), t.error(), t.interrupted(), t.expectation(),
                t.verdict(), t.verdictReason(), t.unit(), t.rounds(), t.durationSeconds(), t.roundsPerSecond(), t.forbiddenRounds(),
                t.outcomes(), t.firstForbidden(), t.latencies(), t.figures(), t.tables(), t.notes(), t.extra());
    }
}
