package org.gpcrace.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gpcrace.CliRunner;
import org.gpcrace.result.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * deploy/ansible/fleet.yml end to end against deploy/ansible/inventory-localhost.ini: two
 * "hosts" that are this machine (local connection), each unpacking the source, running make,
 * a short `run gpc`, the run directory fetched per host, and the cross-host compare: a table
 * with two columns that agree. The negative control: the same fetched results with one host's
 * safe test doctored to show a FORBIDDEN outcome is Unexpected in that host's column only.
 * To stay within the test budget the controller's build ships with the source
 * (gpcrace_ship_build), so make on each host finds it up to date; the table, the log and the
 * fetched files stay in target/fleet-test/.
 */
class FleetPlaybookTest {
    static final Path OUT = Path.of("target", "fleet-test").toAbsolutePath();
    static final String COMMAND = "run gpc --protocol rwlock,seqcount --duration 300ms";

    @Test
    void twoLocalhostHostsRunTheSameCommandAndTheTableHasTwoColumnsThatAgree() throws Exception {
        String playbook = onPath("ansible-playbook");
        Assumptions.assumeTrue(playbook != null, "no ansible-playbook; fix: apt-get install ansible (make test-deps does it as root)");
        Assumptions.assumeTrue(Files.exists(Path.of("target/gpcrace.jar")) && Files.exists(Path.of("target/gpcrace")),
                "no target/gpcrace.jar to ship; fix: make (make test builds it first)");
        deleteTree(OUT);
        Files.createDirectories(OUT);
        Path fetch = OUT.resolve("fleet"), log = OUT.resolve("ansible.log");
        String vars = Json.write(Map.of("gpcrace_command", COMMAND, "gpcrace_fetch_dir", fetch.toString(),
                "gpcrace_root", OUT.resolve("hosts").toString(), "gpcrace_ship_build", true));
        ProcessBuilder pb = new ProcessBuilder(playbook, "-i", "deploy/ansible/inventory-localhost.ini", "deploy/ansible/fleet.yml",
                "--forks", "1", "-e", vars).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        pb.environment().put("ANSIBLE_RETRY_FILES_ENABLED", "0");
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "ansible-playbook still running after 5 min; see " + log);
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), "ansible-playbook failed; see " + log + ":\n" + tail(out));

        for (String h : List.of("host-a", "host-b")) {
            assertTrue(Files.exists(fetch.resolve(h).resolve("results.json")), h + "'s run directory fetched: " + out);
            assertTrue(Files.readString(fetch.resolve(h).resolve("console.txt")).contains("[gpc-rwlock-spin]"), h + "'s console kept");
        }
        assertTrue(out.contains("RESULT: no Unexpected verdict"), "the play prints the table: " + tail(out));
        JsonNode cmp = Json.MAPPER.readTree(fetch.resolve("compare.json").toFile());
        assertEquals("declared", cmp.get("reference").asText());
        assertFalse(cmp.get("unexpected").asBoolean());
        JsonNode hosts = cmp.get("hosts");
        assertEquals(2, hosts.size(), "two columns");
        String a = hosts.get(0).get("name").asText(), b = hosts.get(1).get("name").asText();
        assertNotEquals(a, b, "equal hosts get distinct names");
        assertTrue(a.endsWith("from=host-a") && b.endsWith("from=host-b"), a + " / " + b);
        String commit = hosts.get(0).get("run").get("toolCommit").asText();
        assertNotEquals("unknown", commit, "the shipped build records the controller's commit");
        assertEquals(commit, hosts.get(1).get("run").get("toolCommit").asText());
        int ranOnBoth = 0;
        for (JsonNode row : cmp.get("rows")) {
            JsonNode cells = row.get("cells");
            assertEquals(2, cells.size());
            assertEquals(cells.get(0).get("verdict").asText(), cells.get(1).get("verdict").asText(), "the columns agree: " + row);
            assertNotEquals("!!! Unexpected", cells.get(0).get("verdict").asText(), row.toString());
            if (cells.get(0).get("rounds").asLong() > 0 && cells.get(1).get("rounds").asLong() > 0) ranOnBoth++;
        }
        assertTrue(ranOnBoth >= 2, "both hosts ran both tests: " + cmp.get("rows"));
        assertTrue(Files.readString(fetch.resolve("compare.html")).contains("host-b"), "the compare page is written");

        // negative control: the harness catches one host disagreeing (a safe test showing a FORBIDDEN outcome)
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(fetch.resolve("host-b/results.json").toFile());
        for (JsonNode t : doc.get("tests")) {
            if (!t.get("name").asText().equals("gpc-rwlock-spin")) continue;
            for (JsonNode o : t.get("outcomes")) if (o.get("id").asText().equals("stale-visible")) ((ObjectNode) o).put("count", 1);
        }
        Path doctored = OUT.resolve("host-b-doctored");
        Files.createDirectories(doctored);
        Json.writeFile(doctored.resolve("results.json"), doc);
        CliRunner.Run r = CliRunner.run("compare", fetch.resolve("host-a").toString(), doctored.toString(), "--json");
        assertEquals(1, r.code(), r.out() + r.err());
        JsonNode bad = Json.MAPPER.readTree(r.out());
        JsonNode row = null;
        for (JsonNode x : bad.get("rows")) if (x.get("test").asText().equals("gpc-rwlock-spin") && x.get("outcome").asText().equals("stale-visible")) row = x;
        assertTrue(row != null, bad.toString());
        assertEquals("=", row.get("cells").get(0).get("verdict").asText());
        assertEquals("!!! Unexpected", row.get("cells").get(1).get("verdict").asText());
        assertEquals("gpc-rwlock-spin", bad.get("rows").get(0).get("test").asText(), "the Unexpected test comes first");
    }

    static String onPath(String cmd) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, cmd);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) return;
        try (var w = Files.walk(p)) {
            for (Path x : w.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
