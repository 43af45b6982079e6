package org.gpcrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.gpcrace.CliRunner;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.result.Json;
import org.gpcrace.scenario.gpc.GpcConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** `gpcrace run gpc`: refusals (one line, exit 2), the console output, results.json, exit codes, the suite step's list. */
class RunGpcCommandTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {
            "--protocol rwlock --source remove",
            "--protocol rwlock --source collapse",
            "--protocol pinned --backing anon",
            "--protocol uffd-invalidate-then-read --source mprotect",
            "--protocol uffd-read-then-invalidate --nonblock",
            "--protocol rwlock --notifier uffd",
            "--protocol no-such",
            "--protocol rwlock --delay-range 5:1",
            "--protocol rwlock --delay-range abc",
            "--protocol rwlock --rounds 10 --duration 1s",
            "--protocol rwlock --readers 0",
            "--protocol rwlock --cpus x-y",
            "--protocol rwlock --lock mutex",
            "--protocol rwlock --source free --backing shmem",
    })
    void badInputIsOneLineAndExit2(String args) {
        CliRunner.Run r = CliRunner.run(("run gpc " + args + " --out " + dir).split(" "));
        assertEquals(2, r.code(), args + ": " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("gpcrace: "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void runPrintsTableObservationRateRaceWindowAndWritesResults() throws Exception {
        CliRunner.Run r = CliRunner.run("run", "gpc", "--protocol", "rwlock,unlocked", "--rounds", "3000", "--seed", "1",
                "--out", dir.toString());
        String out = r.out();
        // unlocked is the declared-unsafe control: in the actor process its race can take more than
        // 3000 rounds (exit 3, "race not reproduced"); the exit status must say which it was
        boolean raced = out.contains("race reproduced (expected)"); // only unlocked can reproduce a race here
        assertEquals(raced ? 0 : 3, r.code(), r.err() + out);
        assertTrue(out.contains("RESULT") && out.contains("SAMPLES") && out.contains("EXPECT"), out);
        assertTrue(out.contains("Observation gpc-rwlock-spin Never 0 3000"), out);
        assertTrue(out.contains("Observation gpc-unlocked "), out);
        assertTrue(out.contains("rounds/s"), out);
        assertTrue(out.contains("race window"), out);
        assertTrue(out.contains("placement:"), out);
        JsonNode doc = Json.MAPPER.readTree(Files.readString(CliRunner.results(dir)));
        assertEquals(2, doc.get("tests").size());
        JsonNode rw = doc.get("tests").get(0);
        assertEquals("gpc-rwlock-spin", rw.get("name").asText());
        for (String p : new String[] {"protocol", "lock", "nonblock", "source", "backing", "pages", "readers", "stride", "access",
                "delayRange", "seed", "notifier", "invalidator", "placement"}) {
            assertTrue(rw.get("params").has(p), "params lacks " + p + ": " + rw.get("params"));
        }
        assertEquals("invalidator", rw.get("extra").get("placement").get(0).get("actor").asText(), rw.get("extra").toString());
        assertTrue(rw.get("extra").get("raceWindow").size() > 0);
        assertEquals(3000, rw.get("rounds").asLong());
        assertTrue(rw.get("roundsPerSecond").asDouble() > 0);
        assertTrue(doc.get("run").has("bridge"));
        assertEquals("ok", rw.get("verdict").asText());
    }

    @Test
    void hangExitsWithFailure() {
        CliRunner.Run r = CliRunner.run("run", "gpc", "--protocol", "rwlock", "--rounds", "200", "--inject-hang-at-round", "20",
                "--watchdog", "300ms", "--out", dir.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("first FORBIDDEN: hang at round 20"), r.out());
    }

    @Test
    void jsonOutputIsAResultsDocument() throws Exception {
        CliRunner.Run r = CliRunner.run("run", "gpc", "--protocol", "seqcount", "--rounds", "200000", "--stop-on-forbidden", "--json", "--out", dir.toString()); // an unsafe protocol: run to its race, a fixed 500 rounds may legitimately miss it (exit 3)
        assertEquals(0, r.code(), r.err());
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertEquals("gpc-seqcount", doc.get("tests").get(0).get("name").asText());
    }

    @Test
    void suiteStepRunsEveryProtocol() {
        Set<String> ids = new HashSet<>();
        for (var t : RunGpcCommand.suiteTests(org.gpcrace.bridges.Bridges.open(), java.time.Duration.ofSeconds(1))) {
            ids.add(((org.gpcrace.scenario.gpc.GpcTest) t).config().protocol().id());
        }
        assertEquals(Protocol.ids().size(), ids.size(), ids.toString());
    }
}
