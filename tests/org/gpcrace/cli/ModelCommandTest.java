package org.gpcrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gpcrace.CliRunner;
import org.gpcrace.CliRunner.Run;
import org.gpcrace.compare.ResultsSchema;
import org.gpcrace.result.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** `gpcrace model`: console report, results.json (kind model, schema-valid), options and bad input. */
class ModelCommandTest {

    @Test
    void printsVerdictsTheCounterexampleStepByStepAndWritesAModelResultsFile(@TempDir Path dir) throws Exception {
        Run r = CliRunner.run("model", "--protocol", "seqcount,rwlock", "--lock", "spin", "--out", dir.toString(), "--programs");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Observation gpc-seqcount Sometimes"), r.out());
        assertTrue(r.out().contains("Observation gpc-rwlock-spin Never"), r.out());
        assertTrue(r.out().contains("shortest interleaving to stale-visible"), r.out());
        assertTrue(r.out().contains("invalidator") && r.out().contains("zap: a new zeroed frame")
                && r.out().contains("stale, still visible: {} -> {g}"), r.out());
        assertTrue(r.out().contains("every step of every explored protocol was reached"), "the reachability report: " + r.out());
        assertTrue(r.out().contains("read_seqcount_retry"), "the program listing: " + r.out());
        JsonNode doc = Json.MAPPER.readTree(CliRunner.results(dir).toFile());
        assertEquals("model", doc.get("kind").asText());
        assertEquals(List.of(), ResultsSchema.problems("results.json", doc));
        List<String> names = new ArrayList<>();
        doc.get("tests").forEach(t -> names.add(t.get("name").asText()));
        assertEquals(List.of("gpc-rwlock-spin", "gpc-seqcount"), names);
    }

    @Test
    void nonblockBothAddsEveryPolicyAndJsonPrintsTheDocument(@TempDir Path dir) throws Exception {
        Run r = CliRunner.run("model", "--protocol", "seqcount-srcu", "--nonblock", "both", "--out", dir.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = Json.MAPPER.readTree(r.out());
        List<String> names = new ArrayList<>();
        doc.get("tests").forEach(t -> names.add(t.get("name").asText()));
        assertEquals(List.of("gpc-seqcount-srcu", "gpc-seqcount-srcu-nonblock-sleep", "gpc-seqcount-srcu-nonblock-spin",
                "gpc-seqcount-srcu-nonblock-eagain", "gpc-seqcount-srcu-nonblock-defer"), names);
    }

    /** Each knob names its configurations as the hardware run does; the model's size and reductions are a note. */
    @Test
    void knobsMultiplyTheConfigurationsTheyApplyTo(@TempDir Path dir) throws Exception {
        Run r = CliRunner.run("model", "--protocol", "rwlock,uffd-invalidate-then-read", "--lock", "spin", "--refresh", "all", "--storm", "both",
                "--invalidations", "1,2", "--readers", "1", "--accesses", "1", "--out", dir.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = Json.MAPPER.readTree(r.out());
        List<String> names = new ArrayList<>();
        doc.get("tests").forEach(t -> names.add(t.get("name").asText()));
        assertEquals(List.of("gpc-rwlock-spin", "gpc-rwlock-spin-storm", "gpc-rwlock-spin-x2", "gpc-rwlock-spin-x2-storm",
                "gpc-rwlock-spin-wait", "gpc-rwlock-spin-wait-storm", "gpc-rwlock-spin-wait-x2", "gpc-rwlock-spin-wait-x2-storm",
                "gpc-uffd-invalidate-then-read-spin", "gpc-uffd-invalidate-then-read-spin-wait"), names,
                "a userfaultfd monitor has one invalidation and no storm");
        JsonNode storm = doc.get("tests").get(1);
        assertTrue(storm.get("params").get("storm").asBoolean());
        assertEquals("Sometimes", outcome(storm, "refresh-livelock"), "mainline spins while the storm's invalidation runs");
        assertEquals("Never", outcome(doc.get("tests").get(5), "refresh-livelock"), "the range-aware wait does not");
    }

    private static String outcome(JsonNode test, String id) {
        for (JsonNode o : test.get("outcomes")) if (o.get("id").asText().equals(id)) return o.get("observation").asText();
        throw new AssertionError("no outcome " + id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"model --readers 9", "model --accesses 0", "model --protocol bogus", "model --lock rusty",
            "model --nonblock maybe", "model --protocol uffd-read-then-invalidate --nonblock on", "model --nonblock-policy nap --nonblock on",
            "model --invalidations 4", "model --storm sometimes", "model --protocol rwlock --nonblock on --nonblock-policy no-wait",
            "model --frames paper"})
    void badInputIsOneLineAndExitTwo(String line) {
        Run r = CliRunner.run(line.split(" "));
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "));
    }
}
