package org.gpcrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.gpcrace.CliRunner;
import org.gpcrace.CliRunner.Run;
import org.gpcrace.result.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 end to end: `gpcrace model`, a short hardware `run gpc --protocol all`, then
 * `compare`: no Unexpected on this machine; and the same hardware run against a doctored model
 * that says Never for unlocked's stale outcomes is reported Unexpected with exit status 1.
 */
class ModelCompareEndToEndTest {

    @Test
    void modelThenHardwareThenCompareAgreeAndADoctoredModelIsCaught(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model"), hw = dir.resolve("hw");
        Run m = CliRunner.run("model", "--lock", "spin", "--out", model.toString());
        assertEquals(0, m.code(), m.err());
        // unsafe protocols stop at their first FORBIDDEN batch; safe ones run the whole second
        Run h = CliRunner.run("run", "gpc", "--protocol", "all", "--duration", "1s", "--stop-on-forbidden", "--out", hw.toString());
        assertEquals(0, h.code(), "no finding on hardware: " + h.out() + h.err());
        JsonNode hwDoc = Json.MAPPER.readTree(CliRunner.results(hw).toFile());

        Run c = CliRunner.run("compare", model.toString(), hw.toString(), "--json");
        assertEquals(0, c.code(), c.out() + c.err());
        JsonNode cmp = Json.MAPPER.readTree(c.out());
        assertFalse(cmp.get("unexpected").asBoolean());
        for (JsonNode row : cmp.get("rows")) {
            if (!"Missing".equals(row.get("verdict").asText())) continue;
            // only a hardware test that could not run here may be missing, or a model test of another scenario (fault-in-reader)
            String name = row.get("test").asText();
            if (name.startsWith("fault-in-reader-")) continue;
            assertEquals("skipped", test(hwDoc, name).get("status").asText(), row.toString());
        }

        // the negative control: the hardware reproduced unlocked's race...
        JsonNode unlocked = test(hwDoc, "gpc-unlocked");
        long stale = count(unlocked, "stale-visible") + count(unlocked, "stale-lost");
        assertTrue(stale > 0, "run gpc reproduces the unlocked race: " + unlocked);
        // ...so a model claiming unlocked Never goes stale must be caught
        ObjectNode doctored = (ObjectNode) Json.MAPPER.readTree(CliRunner.results(model).toFile());
        for (JsonNode o : test(doctored, "gpc-unlocked").get("outcomes")) {
            String id = o.get("id").asText();
            if (id.equals("stale-visible") || id.equals("stale-lost")) {
                ((ObjectNode) o).put("count", 0);
                ((ObjectNode) o).put("observation", "Never");
            }
        }
        Path bad = dir.resolve("doctored.json");
        Json.writeFile(bad, doctored);
        Run d = CliRunner.run("compare", bad.toString(), hw.toString());
        assertEquals(1, d.code(), d.out() + d.err());
        String section = d.out().substring(d.out().indexOf("gpc-unlocked"));
        section = section.substring(0, section.indexOf("\ngpc-", 1) > 0 ? section.indexOf("\ngpc-", 1) : section.length());
        assertTrue(section.contains("!!! Unexpected") && section.contains("the model says Never"), d.out());
        assertTrue(d.out().contains("RESULT: !!! Unexpected"), d.out());
    }

    private static JsonNode test(JsonNode doc, String name) {
        for (JsonNode t : doc.get("tests")) if (t.get("name").asText().equals(name)) return t;
        throw new AssertionError("no test " + name + " in " + doc);
    }

    private static long count(JsonNode test, String outcome) {
        for (JsonNode o : test.get("outcomes")) if (o.get("id").asText().equals(outcome)) return o.get("count").asLong();
        return 0;
    }
}
