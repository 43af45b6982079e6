package org.gpcrace.scenario.gpc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.oracle.GpcOutcome;
import org.gpcrace.result.Grade;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.TestResult;

/**
 * A finished gpc test as a results.json test: every outcome with its grade and sentence, rounds
 * and rate, the first FORBIDDEN outcome, the invalidation and reader-loop latencies, and in
 * {@code extra} the verdict, the race-window map, the actor placement, the figures and notes.
 */
public final class GpcResults {
    private GpcResults() {}

    /** What a test's outcomes mean for its protocol. */
    public enum Verdict {
        /** expected safe, no FORBIDDEN outcome */
        SAFE_AS_EXPECTED("no forbidden outcome, as expected"),
        /** expected unsafe, a stale access seen: the race is reproduced */
        RACE_REPRODUCED("race reproduced (expected: this protocol is unsafe)"),
        /** expected unsafe, no stale access in this run */
        RACE_NOT_SEEN("no stale access seen in this run (the protocol is unsafe: run longer or widen the delay range)"),
        /** a FORBIDDEN outcome the protocol's expectation does not explain (a finding) */
        FINDING("!!! FORBIDDEN outcome in a protocol expected to be safe, or a harness/hang failure");

        private final String text;

        Verdict(String text) { this.text = text; }

        public String text() { return text; }

        /** The run should fail (exit 1) when this verdict appears. */
        public boolean failing() { return this == FINDING; }
    }

    public static Verdict verdict(boolean expectedSafe, GpcTally t) {
        long stale = t.count(GpcOutcome.STALE_VISIBLE) + t.count(GpcOutcome.STALE_LOST);
        boolean broken = t.count(GpcOutcome.HANG) > 0 || t.count(GpcOutcome.HARNESS_INCONSISTENCY) > 0;
        if (broken) return Verdict.FINDING;
        if (expectedSafe) return t.forbiddenRounds() == 0 ? Verdict.SAFE_AS_EXPECTED : Verdict.FINDING;
        return stale > 0 ? Verdict.RACE_REPRODUCED : Verdict.RACE_NOT_SEEN;
    }

    static TestResult of(GpcConfig cfg, GpcTally t, double seconds, Placement placement, int[] seenCpus, long delayMin,
            long delayMax, long calibratedLoopNs, List<String> notes, String error) {
        List<OutcomeCount> outcomes = new ArrayList<>();
        for (GpcOutcome o : GpcOutcome.values()) outcomes.add(new OutcomeCount(o.id(), t.count(o), o.grade(), o.description()));
        List<LatencySummary> lat = new ArrayList<>();
        if (t.invalidationNs().getTotalCount() > 0) lat.add(LatencySummary.of("invalidation (notifier start to end)", "CLOCK_MONOTONIC", t.invalidationNs()));
        if (t.readerLoopNs().getTotalCount() > 0) lat.add(LatencySummary.of("reader K accesses (incl. refresh)", "CLOCK_MONOTONIC", t.readerLoopNs()));
        Verdict v = verdict(cfg.protocol().expectedSafe(), t);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("verdict", v.name());
        extra.put("verdictText", v.text());
        extra.put("expectedSafe", cfg.protocol().expectedSafe());
        extra.put("forbiddenRounds", t.forbiddenRounds()); // rounds, not outcomes: the Observation line's P
        extra.put("protocolDescription", cfg.protocol().description());
        extra.put("sourceDescription", cfg.source().description());
        extra.put("expectations", expectations());
        Map<String, Object> delays = new LinkedHashMap<>();
        delays.put("minNs", delayMin);
        delays.put("maxNs", delayMax);
        delays.put("calibrated", cfg.delayCalibrated());
        if (calibratedLoopNs >= 0) delays.put("readerLoopMedianNs", calibratedLoopNs);
        extra.put("delayRange", delays);
        extra.put("raceWindow", t.window().rows());
        extra.put("placement", placement.describe(seenCpus, cfg.notifier() == Notifier.UFFD));
        extra.put("figures", t.figures());
        extra.put("notes", notes);
        Map<String, Object> params = cfg.params();
        params.put("placement", placement.cpus().subList(0, cfg.readers() + (cfg.notifier() == Notifier.UFFD ? 2 : 1)));
        String status = error == null ? "ran" : "failed";
        return new TestResult(cfg.testName(), "gpc", params, status, null, error, t.rounds(), seconds,
                seconds > 0 ? t.rounds() / seconds : 0, outcomes, t.firstForbidden(), lat, extra);
    }

    /** The grade table every protocol shares (jcstress's @Outcome list), for results.json. */
    static List<Map<String, Object>> expectations() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (GpcOutcome o : GpcOutcome.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", o.id());
            m.put("expect", o.grade().name());
            m.put("description", o.description());
            out.add(m);
        }
        return out;
    }

    /** Forbidden outcomes seen, "stale-visible=12, stale-lost=3", or "" when none. */
    public static String forbiddenSummary(TestResult t) {
        StringBuilder s = new StringBuilder();
        if (t.outcomes() == null) return "";
        for (OutcomeCount o : t.outcomes()) {
            if (o.grade() == Grade.FORBIDDEN && o.count() > 0) s.append(s.isEmpty() ? "" : ", ").append(o.id()).append('=').append(o.count());
        }
        return s.toString();
    }

    /** The same result with {@code extra.interrupted = true}, as every scenario marks a run cut short by Ctrl-C. */
    public static TestResult markInterrupted(TestResult t) {
        Map<String, Object> extra = new LinkedHashMap<>(t.extra());
        extra.put("interrupted", true);
        return new TestResult(t.name(), t.scenario(), t.params(), t.status(), t.skip(), t.error(), t.rounds(), t.durationSeconds(),
                t.roundsPerSecond(), t.outcomes(), t.firstForbidden(), t.latencies(), extra);
    }
}
