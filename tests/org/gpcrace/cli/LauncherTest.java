package org.gpcrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher (target/gpcrace, as a user runs it) keeps the JVM lean for the commands that measure
 * (the C1 compiler alone and the serial collector, so that no JVM thread takes the actors' CPUs) and
 * leaves model and compare, which are Java work, with C2 and G1. Read back from what each run
 * recorded of its JVM's arguments.
 */
class LauncherTest {
    static final Path LAUNCHER = Path.of("target/gpcrace");

    static List<String> jvmArgs(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--quiet", "--out", dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolveSibling(dir.getFileName() + ".log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gpcrace finished");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolveSibling(dir.getFileName() + ".log")));
        JsonNode run = new ObjectMapper().readTree(dir.resolve("latest/results.json").toFile()).get("run");
        List<String> out = new ArrayList<>();
        run.get("jvmArgs").forEach(a -> out.add(a.asText()));
        return out;
    }

    @Test
    void measuringCommandsGetALeanJvmAndTheModelKeepsC2(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(LAUNCHER), "needs target/gpcrace: run make");
        List<String> run = jvmArgs(dir.resolve("run"), "run", "gpc", "--protocol", "rwlock", "--rounds", "50");
        assertTrue(run.contains("-XX:TieredStopAtLevel=1") && run.contains("-XX:+UseSerialGC"), run.toString());
        List<String> bridged = jvmArgs(dir.resolve("bridged"), "--bridge", "jna", "run", "gpc", "--protocol", "rwlock", "--rounds", "50");
        assertTrue(bridged.contains("-XX:TieredStopAtLevel=1"), "the command word is found after a global option: " + bridged);
        List<String> model = jvmArgs(dir.resolve("model"), "model", "--readers", "1", "--accesses", "1", "--protocol", "rwlock");
        assertFalse(model.contains("-XX:TieredStopAtLevel=1") || model.contains("-XX:+UseSerialGC"), model.toString());
    }
}
