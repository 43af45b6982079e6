package org.gpcrace.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.gpcrace.compare.ResultsSchema;
import org.junit.jupiter.api.Test;

/**
 * The typed blocks of pin, memslot-fairness and kvm-pvclock serialize to what the published
 * schema describes, and read back into the same records (no scenario block is untyped).
 */
class ScenarioExtrasSchemaTest {
    static ResultsDocument doc(TestExtra... extras) {
        HostInfo host = new HostInfo("h", "6.x", "cpu", "0x1", 2, "0-1", true, "madvise", 0, 1, true, 1 << 30, 0, 2 << 20, false, true, "default");
        RunInfo run = new RunInfo("run x", "ffm", "jvm", "jvm", List.of(), "dev", Map.of());
        List<TestResult> tests = new java.util.ArrayList<>();
        int i = 0;
        for (TestExtra x : extras) {
            tests.add(Grading.grade(TestResult.builder("t" + i++, "s", Map.of()).rounds(1, 1).extra(x).build()));
        }
        return new ResultsDocument(ResultsDocument.SCHEMA, "hardware", "gpcrace", "2026-01-01T00:00:00Z", host, run, tests);
    }

    static List<TestExtra> samples() {
        return List.of(new PinExtra(10, 10, "0x1a2b3", "0x4c5d6"), new PinExtra(0, 0, "unknown", "not present"),
                new FairnessExtra(3, 1200, 0.93));
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
