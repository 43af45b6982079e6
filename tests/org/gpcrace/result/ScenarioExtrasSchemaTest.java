package org.gpcrace.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.gpcrace.compare.ResultsSchema;
import org.junit.jupiter.api.Test;

/**
 * The typed blocks of pin, memslot-fairness and kvm-pvclock (race per source, memslot updates,
 * kick) serialize to what the published schema describes, and read back into the same records.
 */
class ScenarioExtrasSchemaTest {
    static ResultsDocument doc(TestExtra... extras) {
        HostInfo host = new HostInfo("h", "6.x", "cpu", "0x1", 2, "0-1", true, "madvise", 0, 1, true, 1 << 30, 0, 2 << 20, false, true, "default",
                "#1 SMP PREEMPT_DYNAMIC", "madvise", "/proc/config.gz", Map.of("HZ", "250"), Map.of("kvm", Map.of("halt_poll_ns", "200000")),
                Map.of());
        RunInfo run = new RunInfo("run x", "ffm", "jvm", "jvm", List.of(), "dev", "v1", Map.of());
        List<TestResult> tests = new java.util.ArrayList<>();
        int i = 0;
        for (TestExtra x : extras) {
            tests.add(Grading.grade(TestResult.builder("t" + i++, "s", Map.of()).rounds(1, 1).extra(x).build()));
        }
        return new ResultsDocument(ResultsDocument.SCHEMA, "hardware", "gpcrace", "2026-01-01T00:00:00Z", host, run, tests);
    }

    static List<TestExtra> samples() {
        PvclockExtra.Oracle oracle = new PvclockExtra.Oracle("trace", "moves", false, List.of("lost-update"), List.of("invalidated-during"));
        PvclockExtra.Race race = new PvclockExtra.Race(1, 3000, 7000, 7000, 10, 2, 0, 0, Map.of("updated", 10L, "lost-update", 0L), 5, 3, 3, 1, 0,
                new PvclockExtra.TraceWindows(7000, 12, 400, 0), 0, null);
        PvclockExtra.Sequential seq = new PvclockExtra.Sequential(200, 600, 0, 200, 0, 0, "zapped", 200, -20, 4000, 17000, 60000, 16000, 27000);
        PvclockExtra.Evidence ev = new PvclockExtra.Evidence(true, "complete", 7800, 0, 7890, 3600, 3600, Map.of("local mm shootdown", 4102L),
                1.57, 0, 0, List.of());
        PvclockExtra.LostUpdate lost = new PvclockExtra.LostUpdate("race", 0, 17, "version still 0", 0, 0, -5, 0, 1, 2, 3, 4, null, 9L);
        return List.of(new PressureExtra("v1", "/sys/fs/cgroup/memory/x/gpcrace-pressure-1", 20 << 20, 1 << 20, 16 << 20, 256,
                        10, 10, 10, 0, 0, 160 << 20, 0.25, "round 1: reaper ... -> readers: ...", Map.of("reaper", 0, "reader0", 1)),
                new PressureExtra("v2", "/sys/fs/cgroup/unified/x/gpcrace-pressure-1", 20 << 20, 1 << 20, 16 << 20, 256,
                        0, 0, 0, 0, 10, 160 << 20, 0.02, null, Map.of()),
                new PinExtra(10, 10, "0x1a2b3", "0x4c5d6"), new PinExtra(0, 0, "unknown", "not present"),
                new FairnessExtra(3, 1200, 0.93),
                new PvclockExtra("dontneed", "madvise", oracle, race, seq, ev, List.of(lost), null, null),
                new PvclockExtra("none", "no invalidator", oracle, race, null, PvclockExtra.Evidence.unavailable("tracefs: not root; fix"),
                        List.of(), new PvclockExtra.Storm(100, 50.5, 16, 2, 1000, new PvclockExtra.Ratio(1, 2, 3), null),
                        new PvclockExtra.Contention(2, true, 50, 0, 8000, 9000, 12000, 15000)),
                new MemslotUpdatesExtra(300, 300, 50, 100000, new PvclockExtra.Ratio(1.5, 20, 40), null, 0),
                new KickExtra("DONTNEED", true, "trace", List.of(new KickExtra.State("guest mode", 100, 15000, 170000, 100, 14000, 39000,
                        Map.of("call_function_single", 100L)), new KickExtra.State("halted", 100, 14000, 76000, 0, 0, 0, Map.of()))));
    }

    @Test
    void everyScenarioBlockMatchesTheSchema() throws Exception {
        ResultsDocument d = doc(samples().toArray(TestExtra[]::new));
        assertEquals(List.of(), ResultsSchema.problems("doc", Json.MAPPER.readTree(Json.write(d))));
    }

    @Test
    void everyScenarioBlockReadsBackIntoItsRecord() throws Exception {
        ResultsDocument d = doc(samples().toArray(TestExtra[]::new));
        ResultsDocument back = Json.MAPPER.readValue(Json.write(d), ResultsDocument.class);
        assertEquals(samples(), back.tests().stream().map(TestResult::extra).toList());
    }
}
