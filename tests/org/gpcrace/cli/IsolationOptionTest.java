package org.gpcrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gpcrace.CliRunner;
import org.gpcrace.CliRunner.Run;
import org.gpcrace.compare.ResultsSchema;
import org.gpcrace.result.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --isolation on the command line: results.json's run.isolation records the mode a run used
 * (process by default, jvm when asked or when the Java invalidator needs it), a bad mode or a
 * contradiction is one line and exit 2 before anything is measured, and a latency document with
 * its typed block is valid against the published schema.
 */
class IsolationOptionTest {
    @TempDir Path out;

    @Test
    void latencyRecordsItsModeAndItsEvidence() throws Exception {
        for (String mode : List.of("process", "jvm")) {
            Path root = out.resolve(mode);
            Run r = CliRunner.run("latency", "--probe", "refault", "--backing", "anon", "--iterations", "50", "--isolation", mode,
                    "--out", root.toString());
            assertEquals(0, r.code(), r.err());
            JsonNode doc = Json.MAPPER.readTree(CliRunner.results(root).toFile());
            assertEquals(List.of(), ResultsSchema.problems("doc", doc), "the document with the latency block is valid");
            assertEquals(mode, doc.get("run").get("isolation").asText());
            JsonNode t = doc.get("tests").get(0);
            assertEquals(mode, t.get("params").get("isolation").asText());
            JsonNode iso = t.get("extra").get("isolation");
            assertEquals(mode, iso.get("mode").asText());
            assertEquals(mode.equals("process"), iso.get("measuredPid").asLong() != ProcessHandle.current().pid(), iso.toString());
            JsonNode p = t.get("extra").get("points").get(0);
            assertEquals(50, p.get("operations").asLong(), p.toString());
            assertTrue(p.has("tlbShootdowns") && p.has("shootdownsPerOperation") && p.get("mmCpus").size() >= 1, p.toString());
        }
    }

    @Test
    void runGpcIsolatesByDefaultAndTheJavaInvalidatorRunsInTheJvm() throws Exception {
        Path a = out.resolve("a"), b = out.resolve("b");
        Run r = CliRunner.run("run", "gpc", "--protocol", "rwlock", "--rounds", "300", "--out", a.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode doc = Json.MAPPER.readTree(CliRunner.results(a).toFile());
        assertEquals("process", doc.get("run").get("isolation").asText());
        JsonNode t = doc.get("tests").get(0);
        assertEquals("process", t.get("params").get("isolation").asText());
        assertTrue(t.toString().contains("tlbShootdownsPerRound"), "the race test carries its shootdowns per round");
        assertTrue(t.toString().contains("jvmOtherThreadsCpuMs"), "and the CPU time the JVM's other threads took beside it");
        r = CliRunner.run("run", "gpc", "--protocol", "rwlock", "--rounds", "300", "--invalidator", "java", "--out", b.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("jvm", Json.MAPPER.readTree(CliRunner.results(b).toFile()).get("run").get("isolation").asText());
    }

    @Test
    void badModeOrContradictionIsOneLineAndExitTwo() {
        for (String[] args : List.of(new String[] {"latency", "--probe", "clock", "--isolation", "container"},
                new String[] {"run", "gpc", "--protocol", "rwlock", "--isolation", "thread"},
                new String[] {"run", "gpc", "--protocol", "rwlock", "--invalidator", "java", "--isolation", "process"})) {
            Path root = out.resolve("bad" + args.length + args[args.length - 1]);
            String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--out", root.toString()))
                    .toArray(String[]::new);
            Run r = CliRunner.run(full);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.out() + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(r.err().contains("isolation"), r.err());
            assertFalse(Files.exists(CliRunner.results(root)), "nothing measured");
        }
    }
}
