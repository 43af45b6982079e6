package org.gpcrace.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.gpcrace.CliRunner;
import org.gpcrace.model.Explorer;
import org.gpcrace.model.GpcModelConfig;
import org.gpcrace.model.GpcModelRun;
import org.gpcrace.protocol.GpcOutcome;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.result.Grade;
import org.gpcrace.result.Json;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.Expectation;
import org.gpcrace.result.GpcExtra;
import org.gpcrace.result.Grading;
import org.gpcrace.result.HostInfo;
import org.gpcrace.result.RunInfo;
import org.gpcrace.result.Skip;
import org.gpcrace.result.Table;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.gpcrace.protocol.LockKind;

/** The published schema describes exactly what the result records serialize, for hardware and model. */
class ResultsSchemaTest {
    static List<String> problems(Object doc) throws Exception {
        return ResultsSchema.problems("doc", Json.MAPPER.readTree(Json.write(doc)));
    }

    static ResultsDocument hardwareDoc() {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= 1000; i++) h.recordValue(500 + i);
        TestResult ran = TestResult.builder("gpc-unlocked", "gpc", Map.of("protocol", "unlocked", "readers", 1))
                .expectation(Expectation.unsafe("negative control", "stale-visible", "stale-lost")).rounds(20000, 0.5).forbiddenRounds(10)
                .outcome(new OutcomeCount("clean", 19990, Grade.ACCEPTABLE, "d")).outcome(new OutcomeCount("stale-visible", 10, Grade.FORBIDDEN, "d"))
                .firstForbidden(new TestResult.FirstForbidden("stale-visible", 17, 0.25)).latency(LatencySummary.of("madvise", "rdtsc", h))
                .figure("staleAccesses", 12, "accesses").note("a note")
                .table(new Table("sweep", null, List.of(new Table.Column("x", "bytes"), new Table.Column("p50", "ns")), List.of(List.of(4096.0, 1200.0))))
                .extra(new GpcExtra("p", "s", "f", new GpcExtra.DelayRange(0, 100, true, 100), List.of(new GpcExtra.WindowBucket(0, 10, 5, 1, 1)),
                        List.of(new GpcExtra.ActorCpu("invalidator", 0, 0), new GpcExtra.ActorCpu("reader0", 1, null)), true, Map.of("EFAULT", 1L)))
                .build();
        TestResult skipped = TestResult.skipped("kvm-pvclock", "kvm-pvclock", Map.of(), new Skip("no /dev/kvm", "modprobe kvm"));
        TestResult failed = TestResult.failed("x", "gpc", null, "boom");
        HostInfo host = new HostInfo("h", "6.x", "cpu", "0x1", 2, "0-1", true, "madvise", 0, 1, true, 1 << 30, 0, 2 << 20, false, true, "default",
                "#1 SMP PREEMPT_DYNAMIC", "madvise", "/proc/config.gz", Map.of("PREEMPT_RT", "n", "HZ", "1000"),
                Map.of("kvm_intel", Map.of("nested", "Y", "ept", "Y")), Map.of("spectre_v2", "Mitigation: Retpolines"));
        RunInfo run = new RunInfo("run gpc", "ffm", "jvm", "jvm", List.of(), "dev", "v1-2-gabc1234-dirty", Map.of("protocol", List.of("all"), "pages", 1));
        return new ResultsDocument(ResultsDocument.SCHEMA, "hardware", "gpcrace", "2026-01-01T00:00:00Z", host, run,
                List.of(Grading.grade(ran), Grading.grade(skipped), Grading.grade(failed)));
    }

    @Test
    void aHardwareDocumentBuiltFromTheRecordsIsValid() throws Exception {
        assertEquals(List.of(), problems(hardwareDoc()));
    }

    @Test
    void aModelDocumentIsValidAndReadsBackIntoTheRecords(@TempDir Path dir) throws Exception {
        var run = GpcModelRun.explore(new GpcModelConfig(Protocol.SEQCOUNT, LockKind.SPIN, false, null, 1, 2, 1, 8), Explorer.DEFAULT_MAX_STATES);
        ResultsDocument doc = new ResultsDocument(ResultsDocument.SCHEMA, "model", "gpcrace model", "now", null, null, List.of(Grading.grade(run.toTestResult())));
        assertEquals(List.of(), problems(doc));
        Path f = dir.resolve("results.json");
        Json.writeFile(f, doc);
        ResultsDocument back = Json.MAPPER.readValue(f.toFile(), ResultsDocument.class);
        OutcomeCount stale = back.tests().getFirst().outcomes().stream().filter(o -> o.id().equals(GpcOutcome.STALE_VISIBLE.id())).findFirst().orElseThrow();
        assertEquals(org.gpcrace.result.Observation.Sometimes, stale.observation());
        assertEquals(0, CliRunner.run("report", f.toString()).code(), "the report command reads a model file too");
    }

    @Test
    void hardwareOutcomesDoNotCarryAnObservation() {
        assertFalse(Json.write(new OutcomeCount("clean", 1, Grade.ACCEPTABLE, "d")).contains("observation"));
    }

    @Test
    void aTypoedOrMissingFieldIsReported() throws Exception {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(Json.write(hardwareDoc()));
        ((ObjectNode) doc.get("tests").get(0)).put("ruonds", 5);
        List<String> p = ResultsSchema.problems("doc", doc);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.getFirst().contains("'ruonds' is not defined"), p.toString());
        ObjectNode noName = (ObjectNode) Json.MAPPER.readTree(Json.write(hardwareDoc()));
        ((ObjectNode) noName.get("tests").get(0)).remove("name");
        assertTrue(ResultsSchema.problems("doc", noName).getFirst().contains("required property 'name' not found"));
    }

    @Test
    void theSchemaIsPublishedInTheSourcesAndTheJar() throws Exception {
        Path src = Path.of("resources/org/gpcrace/results.schema.json");
        assertTrue(Files.isRegularFile(src));
        JsonNode schema = Json.MAPPER.readTree(src.toFile());
        assertEquals(ResultsDocument.SCHEMA, schema.at("/properties/schema/const").asText(), "the schema names the version the records write");
        try (var in = ResultsSchema.class.getResourceAsStream(ResultsSchema.RESOURCE)) {
            assertEquals(Files.readString(src), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
