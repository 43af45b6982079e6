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
        assertTrue(r.out().contains("invalidator") && r.out().contains("zap") && r.out().contains("mapping: old frame -> new frame"), r.out());
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
                "gpc-seqcount-srcu-nonblock-eagain"), names);
    }

    @ParameterizedTest
    @ValueSource(strings = {"model --readers 9", "model --accesses 0", "model --protocol bogus", "model --lock rusty",
            "model --nonblock maybe", "model --protocol uffd-read-then-invalidate --nonblock on", "model --nonblock-policy nap --nonblock on"})
    void badInputIsOneLineAndExitTwo(String line) {
        Run r = CliRunner.run(line.split(" "));
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "));
    }
}
