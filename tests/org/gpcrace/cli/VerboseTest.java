package org.gpcrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Diagnostics through SLF4J: quiet by default, and with -v (before or after the command) each
 * step on stderr: the run directory, the tests as they start and are graded, the files written.
 * In a JVM of its own, as a user runs it (slf4j-simple fixes a logger's level when it is made).
 */
class VerboseTest {
    record Result(int code, String out, String err) {}

    static Result gpcrace(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dgpcrace.native.dir=" + System.getProperty("gpcrace.native.dir", "target/native"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gpcrace finished");
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void quietByDefaultAndEachStepWithVerbose(@TempDir Path dir) throws Exception {
        Result quiet = gpcrace(dir, "model", "--protocol", "rwlock", "--lock", "spin", "--quiet", "--out", dir.resolve("a").toString());
        assertEquals(0, quiet.code(), quiet.err());
        assertEquals("", quiet.err(), "nothing on stderr without -v");

        for (List<String> args : List.of(List.of("-v", "model"), List.of("model", "--verbose"))) {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of("--protocol", "rwlock", "--lock", "spin", "--quiet", "--out", dir.resolve("b").toString()));
            Result v = gpcrace(dir, all.toArray(String[]::new));
            assertEquals(0, v.code(), v.err());
            for (String step : List.of("DEBUG Main - gpcrace ", "DEBUG RunDirectory - run directory ", "DEBUG Runner - test 1/1 gpc-rwlock-spin",
                    "DEBUG Runner - gpc-rwlock-spin: ", " final states in ", "DEBUG ReportFiles - wrote ")) {
                assertTrue(v.err().contains(step), args + ": '" + step + "' in\n" + v.err());
            }
            assertEquals(quiet.out().lines().filter(l -> l.startsWith("  verdict:")).toList(),
                    v.out().lines().filter(l -> l.startsWith("  verdict:")).toList(), "stdout is the same: the diagnostics go to stderr");
        }
    }
}
