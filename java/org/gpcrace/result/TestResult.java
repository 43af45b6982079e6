package org.gpcrace.result;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One test of a run (a scenario with one set of parameters), as results.json carries it. A
 * scenario fills in what it measured ({@link Builder}); the runner adds the verdict from
 * {@link Grading}, and nothing else decides it.
 *
 * @param params          every knob of the test (scalars or lists of scalars); compare matches on them
 * @param expectation     what the test is declared to show (null: nothing declared, graded as safe)
 * @param verdict         set by {@link Grading} only
 * @param unit            what {@code rounds} counts: rounds, samples, runs, trials, final states
 * @param forbiddenRounds rounds with at least one FORBIDDEN outcome (litmus's P; a round can carry several outcomes)
 * @param figures         named numbers the test derived, with units
 * @param tables          sweeps and maps (first column is x), with units
 * @param notes           one-line observations the console prints after the tables
 * @param extra           the scenario's own typed block (race window, counterexamples, ...)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TestResult(
        String name,
        String scenario,
        Map<String, Object> params,
        Status status,
        Skip skip,
        String error,
        boolean interrupted,
        Expectation expectation,
        Verdict verdict,
        String verdictReason,
        String unit,
        long rounds,
        double durationSeconds,
        double roundsPerSecond,
        long forbiddenRounds,
        List<OutcomeCount> outcomes,
        FirstForbidden firstForbidden,
        List<LatencySummary> latencies,
        List<Figure> figures,
        List<Table> tables,
        List<String> notes,
        TestExtra extra) {

    /** When and after how many rounds the first FORBIDDEN outcome appeared. */
    public record FirstForbidden(String outcome, long round, double elapsedMs) {}

    public TestResult {
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        unit = unit == null ? "rounds" : unit;
        outcomes = outcomes == null ? List.of() : List.copyOf(outcomes);
        latencies = latencies == null ? List.of() : List.copyOf(latencies);
        figures = figures == null ? List.of() : List.copyOf(figures);
        tables = tables == null ? List.of() : List.copyOf(tables);
        notes = notes == null ? List.of() : List.copyOf(notes);
        if (status == null) throw new IllegalArgumentException("test " + name + " has no status");
    }

    public static Builder builder(String name, String scenario, Map<String, Object> params) { return new Builder(name, scenario, params); }

    public static TestResult skipped(String name, String scenario, Map<String, Object> params, Skip skip) {
        return builder(name, scenario, params).skipped(skip).build();
    }

    public static TestResult failed(String name, String scenario, Map<String, Object> params, String error) {
        return builder(name, scenario, params).failed(error).build();
    }

    public boolean ran() { return status == Status.RAN; }

    public long count(String outcomeId) {
        return outcomes.stream().filter(o -> o.id().equals(outcomeId)).mapToLong(OutcomeCount::count).sum();
    }

    /** The litmus7 line: Observation TEST Never|Sometimes|Always P N, P the rounds with a FORBIDDEN outcome, P + N the rounds. */
    @JsonIgnore public String observationLine() {
        return "Observation " + name + " " + Observation.of(forbiddenRounds, rounds) + " " + forbiddenRounds + " "
                + Math.max(0, rounds - forbiddenRounds);
    }

    /** A figure's value by name, or NaN. */
    public double figure(String figureName) {
        return figures.stream().filter(f -> f.name().equals(figureName)).mapToDouble(Figure::value).findFirst().orElse(Double.NaN);
    }

    /** The same test under another name (a test reused in another scenario keeps names unique). */
    public TestResult withName(String newName) {
        return new TestResult(newName, scenario, params, status, skip, error, interrupted, expectation, verdict, verdictReason, unit, rounds,
                durationSeconds, roundsPerSecond, forbiddenRounds, outcomes, firstForbidden, latencies, figures, tables, notes, extra);
    }

    public TestResult withVerdict(Verdict v, String reason) {
        return new TestResult(name, scenario, params, status, skip, error, interrupted, expectation, v, reason, unit, rounds,
                durationSeconds, roundsPerSecond, forbiddenRounds, outcomes, firstForbidden, latencies, figures, tables, notes, extra);
    }

    /** Collects a test's measurements; every scenario builds its results with it. */
    public static final class Builder {
        private final String name, scenario;
        private final Map<String, Object> params;
        private Status status = Status.RAN;
        private Skip skip;
        private String error, unit = "rounds";
        private boolean interrupted;
        private Expectation expectation;
        private long rounds, forbiddenRounds = -1;
        private double seconds;
        private final List<OutcomeCount> outcomes = new java.util.ArrayList<>();
        private FirstForbidden firstForbidden;
        private final List<LatencySummary> latencies = new java.util.ArrayList<>();
        private final List<Figure> figures = new java.util.ArrayList<>();
        private final List<Table> tables = new java.util.ArrayList<>();
        private final List<String> notes = new java.util.ArrayList<>();
        private TestExtra extra;

        Builder(String name, String scenario, Map<String, Object> params) {
            this.name = name;
            this.scenario = scenario;
            this.params = params;
        }

        public Builder skipped(Skip s) { status = Status.SKIPPED; skip = s; return this; }
        public Builder failed(String why) { status = Status.FAILED; error = why; return this; }
        public Builder interrupted(boolean v) { interrupted = v; return this; }
        public Builder expectation(Expectation e) { expectation = e; return this; }
        /** What {@code rounds} counts (default "rounds"). */
        public Builder unit(String u) { unit = u; return this; }
        public Builder rounds(long n, double secs) { rounds = n; seconds = secs; return this; }
        /** Rounds with a FORBIDDEN outcome; when not given, each outcome is taken to be alone in its round. */
        public Builder forbiddenRounds(long n) { forbiddenRounds = n; return this; }
        public Builder outcome(OutcomeCount o) { outcomes.add(o); return this; }
        public Builder outcome(DeclaredOutcome o, long count) { outcomes.add(new OutcomeCount(o.id(), count, o.grade(), o.description())); return this; }
        public Builder firstForbidden(FirstForbidden f) { firstForbidden = f; return this; }
        public Builder latency(LatencySummary l) { latencies.add(l); return this; }
        public Builder latencies(List<LatencySummary> ls) { latencies.addAll(ls); return this; }
        public Builder figure(String n, double v, String u) { figures.add(new Figure(n, v, u)); return this; }
        public Builder table(Table t) { tables.add(t); return this; }
        public Builder note(String line) { notes.add(line); return this; }
        public Builder notes(List<String> lines) { notes.addAll(lines); return this; }
        public Builder extra(TestExtra x) { extra = x; return this; }

        public Builder outcomes(List<OutcomeCount> os) { outcomes.addAll(os); return this; }

        public TestResult build() {
            long p = forbiddenRounds >= 0 ? forbiddenRounds
                    : Math.min(rounds, outcomes.stream().filter(o -> o.grade() == Grade.FORBIDDEN).mapToLong(OutcomeCount::count).sum());
            return new TestResult(name, scenario, params, status, skip, error, interrupted, expectation, null, null, unit, rounds,
                    seconds, seconds > 0 ? rounds / seconds : 0, p, outcomes, firstForbidden, latencies, figures, tables, notes, extra);
        }
    }
}
