package org.gpcrace.scenario.gpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gpcrace.protocol.GpcOutcome;
import org.gpcrace.protocol.Notifier;
import org.gpcrace.result.GpcExtra;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.TestResult;

/**
 * A finished gpc test as a results.json test: every outcome with its grade and sentence, rounds
 * and rate, the rounds with a FORBIDDEN outcome, the first one, the invalidation and reader-loop
 * latencies, the derived counts as figures, and the race-window map, delay range and placement
 * in its {@link GpcExtra}. The verdict is the runner's (Grading) from the declared expectation.
 */
final class GpcResults {
    private GpcResults() {}

    static TestResult of(GpcConfig cfg, GpcTally t, double seconds, Placement placement, int[] seenCpus, long delayMin,
            long delayMax, long calibratedLoopNs, List<String> notes, String error, boolean interrupted) {
        Map<String, Object> params = cfg.params();
        List<Integer> actors = actors(cfg);
        params.put("placement", actors.stream().map(placement::cpuOf).toList());
        TestResult.Builder b = TestResult.builder(cfg.testName(), "gpc", params).expectation(cfg.variant().expectation())
                .rounds(t.rounds(), seconds).forbiddenRounds(t.forbiddenRounds()).firstForbidden(t.firstForbidden())
                .interrupted(interrupted).notes(notes);
        if (error != null) b.failed(error);
        for (GpcOutcome o : GpcOutcome.values()) b.outcome(o, t.count(o));
        if (t.invalidationNs().getTotalCount() > 0) {
            b.latency(LatencySummary.of("invalidation (notifier start to end)", "CLOCK_MONOTONIC", t.invalidationNs()));
        }
        if (t.readerLoopNs().getTotalCount() > 0) b.latency(LatencySummary.of("reader K accesses (incl. refresh)", "CLOCK_MONOTONIC", t.readerLoopNs()));
        if (t.kickNs().getTotalCount() > 0) {
            b.latency(LatencySummary.of("kick: request to acknowledgement (tgkill to leaving guest mode)", "CLOCK_MONOTONIC", t.kickNs()));
        }
        if (t.deferNs().getTotalCount() > 0) {
            b.latency(LatencySummary.of("deferral: first deferred start to the worker's end", "CLOCK_MONOTONIC", t.deferNs()));
        }
        t.figures().forEach(f -> b.figure(f.name(), f.value(), f.unit()));
        List<GpcExtra.WindowBucket> window = t.window().buckets();
        List<GpcExtra.ActorCpu> cpus = new ArrayList<>();
        for (int a : actors) {
            Integer seen = seenCpus != null && a < seenCpus.length && seenCpus[a] >= 0 ? seenCpus[a] : null;
            cpus.add(new GpcExtra.ActorCpu(Placement.actorName(a, cfg.readers()), placement.cpuOf(a), seen));
        }
        b.extra(new GpcExtra(cfg.protocol().description(), cfg.source().description(), cfg.frames().description(),
                new GpcExtra.DelayRange(delayMin, delayMax, cfg.delayCalibrated(), calibratedLoopNs), window, cpus,
                placement.distinct(), t.zapErrors()));
        return b.build();
    }

    /** The actor slots (gpcrace.h cpus[]) this configuration runs. */
    static List<Integer> actors(GpcConfig cfg) {
        List<Integer> a = new ArrayList<>();
        for (int i = 0; i <= cfg.readers(); i++) a.add(i);
        int r = cfg.readers();
        if (cfg.notifier() == Notifier.UFFD) a.add(r + 1);
        if (cfg.invalidators() > 1) a.add(r + 2);
        if (cfg.stormPages() > 0) a.add(r + 3);
        if (cfg.nonblock() && cfg.policy() == org.gpcrace.protocol.NonblockPolicy.DEFER) a.add(r + 4);
        return a;
    }
}
