package org.gpcrace.scenario.faultreader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gpcrace.CliRunner;
import org.gpcrace.CliRunner.Run;
import org.gpcrace.TestCaps;
import org.gpcrace.compare.ResultsSchema;
import org.gpcrace.result.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * `gpcrace run fault-in-reader` on this machine: every variant graded as declared (the deadlock
 * reproduced and printed for spin-in-fault, none for the fixes), the busted srcu-domain caught,
 * the cycle detector switched off caught as a hang by the hang limit, the same verdicts through
 * JNA, the model and the hardware agreeing in compare, and bad input refused.
 */
class FaultInReaderCommandTest {
    /** liburcu is installed (make deps does it when root): then the scenario must run on it, not skip. */
    static final boolean LIBURCU = Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/liburcu-memb.so.8"))
            || Files.exists(Path.of("/usr/lib/liburcu-memb.so.8"));

    static JsonNode test(JsonNode doc, String name) {
        for (JsonNode t : doc.get("tests")) if (t.get("name").asText().equals(name)) return t;
        throw new AssertionError("no test " + name + " in " + doc);
    }

    static long count(JsonNode t, String outcome) {
        for (JsonNode o : t.get("outcomes")) if (o.get("id").asText().equals(outcome)) return o.get("count").asLong();
        return 0;
    }

    /** A skip (liburcu missing: the fix says how) is not a failure here; on a machine with it, see the assertion above. */
    static void assumeRan(JsonNode t) {
        org.junit.jupiter.api.Assumptions.assumeTrue("ran".equals(t.get("status").asText()), () -> "skipped: " + t.get("skip"));
    }

    static JsonNode run(Path out, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("run", "fault-in-reader", "--out", out.toString()));
        cmd.addAll(List.of(args));
        Run r = CliRunner.run(cmd.toArray(String[]::new));
        JsonNode doc = Json.MAPPER.readTree(CliRunner.results(out).toFile());
        assertEquals(List.of(), ResultsSchema.problems("results.json", doc), "results.json follows the schema");
        doc = ((com.fasterxml.jackson.databind.node.ObjectNode) doc).put("exit", r.code()).put("stdout", r.out());
        return doc;
    }

    @Test
    void everyVariantIsGradedAsDeclaredAndTheModelAgrees(@TempDir Path dir) throws Exception {
        TestCaps.assume("userfaultfd");
        JsonNode doc = run(dir.resolve("hw"), "--batches", "300", "--time", "1s");
        String out = doc.get("stdout").asText();
        if (LIBURCU) {
            for (JsonNode t : doc.get("tests")) {
                assertEquals("ran", t.get("status").asText(), "liburcu is installed, so every variant runs: " + t);
                assertTrue(t.get("extra").get("rcuImplementation").asText().startsWith("liburcu urcu-memb"), t.toString());
            }
        }
        assumeRan(doc.get("tests").get(0));
        assertEquals(0, doc.get("exit").asInt(), out);
        for (String unsafe : List.of("spin-in-fault", "srcu-domain-busted")) {
            JsonNode t = test(doc, "fault-in-reader-" + unsafe);
            assertEquals("race-reproduced", t.get("verdict").asText(), t.toString());
            assertTrue(count(t, "deadlock") > 0 && count(t, "hang") == 0 && count(t, "corrupt") == 0, t.toString());
            assertTrue(t.get("extra").get("firstCycle").asText().contains("-> grace period"), "the cycle is printed: " + t);
            assertTrue(t.get("extra").get("uffdFaults").asLong() > 0, "the reader really faulted in the kernel");
        }
        assertTrue(out.contains("wait cycle (first, batch"), out);
        for (String safe : List.of("wait-outside-reader", "preallocate", "srcu-domain")) {
            JsonNode t = test(doc, "fault-in-reader-" + safe);
            assertEquals("ok", t.get("verdict").asText(), t.toString());
            assertEquals(t.get("rounds").asLong(), count(t, "migrated"), t.toString());
        }
        JsonNode wait = test(doc, "fault-in-reader-wait-outside-reader");
        assertTrue(wait.get("extra").get("sigbus").asLong() > 0, "readers did meet unmapped pages and left to wait: " + wait);

        Path model = dir.resolve("model");
        Run m = CliRunner.run("model", "--protocol", "all", "--lock", "spin", "--out", model.toString());
        assertEquals(0, m.code(), m.err());
        Run c = CliRunner.run("compare", model.toString(), dir.resolve("hw").toString(), "--json");
        assertEquals(0, c.code(), c.out() + c.err());
        JsonNode cmp = Json.MAPPER.readTree(c.out());
        assertFalse(cmp.get("unexpected").asBoolean(), c.out());
        long compared = 0;
        for (JsonNode row : cmp.get("rows")) {
            if (row.get("test").asText().startsWith("fault-in-reader-") && !"Missing".equals(row.get("verdict").asText())) compared++;
        }
        assertTrue(compared >= 5, "every variant was compared: " + c.out());
    }

    @Test
    void withTheDetectorOffTheDeadlockIsCaughtAsAHangAndIsAFinding(@TempDir Path dir) throws Exception {
        TestCaps.assume("userfaultfd");
        JsonNode doc = run(dir, "--variant", "spin-in-fault", "--rcu", "gpcrace", "--no-detector", "--batches", "2",
                "--stall-bound", "50ms", "--hang-limit", "200ms");
        JsonNode t = doc.get("tests").get(0);
        assumeRan(t);
        assertEquals("finding", t.get("verdict").asText(), t.toString());
        assertTrue(count(t, "hang") > 0 && count(t, "deadlock") == 0, t.toString());
        assertEquals(1, doc.get("exit").asInt());
    }

    @Test
    void theJnaBridgeGivesTheSameVerdicts(@TempDir Path dir) throws Exception {
        TestCaps.assume("userfaultfd");
        for (String bridge : List.of("ffm", "jna")) {
            Path out = dir.resolve(bridge);
            Run r = CliRunner.run("--bridge", bridge, "run", "fault-in-reader", "--variant", "spin-in-fault,srcu-domain", "--rcu", "gpcrace",
                    "--batches", "100", "--out", out.toString());
            JsonNode doc = Json.MAPPER.readTree(CliRunner.results(out).toFile());
            assertEquals(bridge, doc.get("run").get("bridge").asText());
            assertEquals("race-reproduced", test(doc, "fault-in-reader-spin-in-fault").get("verdict").asText(), r.out());
            assertEquals("ok", test(doc, "fault-in-reader-srcu-domain").get("verdict").asText(), r.out());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--pages 1", "--readers 0", "--variant bogus", "--rcu rusty", "--hang-limit 1ms --stall-bound 1s",
            "--batches 0", "--gap soon"})
    void badInputIsOneLineAndExitTwo(String args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("run", "fault-in-reader"));
        cmd.addAll(List.of(args.split(" ")));
        Run r = CliRunner.run(cmd.toArray(String[]::new));
        assertEquals(2, r.code(), r.out() + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    }
}
