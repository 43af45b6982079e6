package org.gpcrace.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.TestResult;
import org.gpcrace.result.UntypedExtra;

/** Collects one latency test: its histograms (as summaries), outcomes, extra blocks and console notes. */
final class TestBuilder {
    private final String name;
    private final Map<String, Object> params;
    private final List<LatencySummary> latencies = new ArrayList<>();
    private final List<OutcomeCount> outcomes = new ArrayList<>();
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private long samples;
    private long wallNs;

    TestBuilder(String name, Map<String, Object> params) {
        this.name = name;
        this.params = params;
    }

    /** Adds every series of the recorder (stated clock) and the run's sample count and time. */
    List<LatencySummary> add(Recorder r, String clock, ProbeLoop.Stats stats) {
        List<LatencySummary> added = new ArrayList<>();
        for (int s = 0; s < r.size(); s++) added.add(r.summary(s, clock));
        latencies.addAll(added);
        samples += stats.samples();
        wallNs += stats.wallNs();
        return added;
    }

    TestBuilder outcome(OutcomeCount o) { outcomes.add(o); return this; }
    TestBuilder extra(String key, Object value) { extra.put(key, value); return this; }
    TestBuilder note(String line) { notes.add(line); return this; }
    List<String> notes() { return notes; }
    String name() { return name; }

    TestResult build() {
        TestResult.Builder b = TestResult.builder(name, "latency", params).unit("samples").rounds(samples, wallNs / 1e9)
                .latencies(latencies).notes(notes);
        outcomes.forEach(b::outcome);
        if (!extra.isEmpty()) b.extra(new UntypedExtra(extra));
        return b.build();
    }
}
