package org.gpcrace.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gpcrace.result.LatencyExtra;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.Table;
import org.gpcrace.result.TestResult;

/**
 * Collects one latency test: its histograms (as summaries), outcomes, figures, tables, console
 * notes and its typed block ({@link LatencyExtra}): the evidence of isolation of every measured
 * point, and the blocks a probe adds.
 */
final class TestBuilder {
    private final String name;
    private final Map<String, Object> params;
    private final LatencyExtra.IsolationInfo isolation;
    private final List<LatencySummary> latencies = new ArrayList<>();
    private final List<OutcomeCount> outcomes = new ArrayList<>();
    private final List<LatencyExtra.PointEvidence> points = new ArrayList<>();
    private final List<org.gpcrace.result.Figure> figures = new ArrayList<>();
    private final List<Table> tables = new ArrayList<>();
    private final List<LatencyExtra.Growth> growth = new ArrayList<>();
    private final List<String> files = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private LatencyExtra.Apparatus apparatus;
    private LatencyExtra.PlainComparison plain;
    private LatencyExtra.TraceCheck trace;
    private LatencyExtra.ClockInfo clock;
    private List<LatencyExtra.CallCost> bridgeCosts;
    private long samples;
    private long wallNs;

    TestBuilder(String name, Map<String, Object> params, LatencyExtra.IsolationInfo isolation) {
        this.name = name;
        this.params = params;
        this.isolation = isolation;
    }

    /** Adds every series of the recorder (stated clock), the run's sample count and time, and its point's evidence. */
    List<LatencySummary> add(Recorder r, String clock, ProbeLoop.Stats stats) {
        List<LatencySummary> added = new ArrayList<>();
        for (int s = 0; s < r.size(); s++) added.add(r.summary(s, clock));
        latencies.addAll(added);
        samples += stats.samples();
        wallNs += stats.wallNs();
        if (stats.evidence() != null) points.add(stats.evidence().point(r.metric(0)));
        return added;
    }

    /** The evidence of every point added so far. */
    List<LatencyExtra.PointEvidence> points() { return points; }

    TestBuilder outcome(OutcomeCount o) { outcomes.add(o); return this; }
    TestBuilder figure(String figureName, double value, String unit) { figures.add(new org.gpcrace.result.Figure(figureName, value, unit)); return this; }
    TestBuilder table(Table t) { tables.add(t); return this; }
    TestBuilder growth(LatencyExtra.Growth g) { growth.add(g); return this; }
    TestBuilder file(String relativeToRun) { files.add(relativeToRun); return this; }
    TestBuilder apparatus(LatencyExtra.Apparatus a) { apparatus = a; return this; }
    TestBuilder plainComparison(LatencyExtra.PlainComparison p) { plain = p; return this; }
    TestBuilder traceCheck(LatencyExtra.TraceCheck t) { trace = t; return this; }
    TestBuilder clock(LatencyExtra.ClockInfo c) { clock = c; return this; }
    TestBuilder bridgeCosts(List<LatencyExtra.CallCost> c) { bridgeCosts = c; return this; }
    TestBuilder note(String line) { notes.add(line); return this; }
    List<String> notes() { return notes; }
    String name() { return name; }

    TestResult build() {
        TestResult.Builder b = TestResult.builder(name, "latency", params).unit("samples").rounds(samples, wallNs / 1e9)
                .latencies(latencies).notes(notes);
        outcomes.forEach(b::outcome);
        figures.forEach(f -> b.figure(f.name(), f.value(), f.unit()));
        tables.forEach(b::table);
        b.extra(new LatencyExtra(isolation, points, apparatus, plain, trace, clock, bridgeCosts, growth, files));
        return b.build();
    }
}
