package org.gpcrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.gpcrace.CliRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input of every class (unknown names, out-of-range and non-finite numbers, overflowing
 * times, CPUs this process may not use or listed twice, contradicting options, a bad --out, files
 * that are FIFOs, devices, symbolic-link loops, directories, empty, binary, another command's
 * JSON): each is one line on stderr naming the problem, exit status 2, no stack trace, nothing
 * measured. The cases are tests-resources/org/gpcrace/cli/hostile-inputs.txt, ${DIR} a directory
 * with such files.
 */
class HostileInputTest {
    @TempDir static Path dir;

    @BeforeAll
    static void hostileFiles() throws Exception {
        new ProcessBuilder("mkfifo", dir.resolve("fifo").toString()).start().waitFor();
        Files.createSymbolicLink(dir.resolve("loop1"), dir.resolve("loop2"));
        Files.createSymbolicLink(dir.resolve("loop2"), dir.resolve("loop1"));
        Files.writeString(dir.resolve("other.json"), "{\"a\":1}");
        Files.writeString(dir.resolve("doctor.json"), CliRunner.run("doctor", "--json").out());
        Files.write(dir.resolve("bin.dat"), new byte[] {0, 1, 2, (byte) 0xff});
        Files.writeString(dir.resolve("empty.json"), "");
        Files.createDirectory(dir.resolve("emptydir"));
    }

    static Stream<String> cases() throws IOException {
        try (InputStream in = HostileInputTest.class.getResourceAsStream("/org/gpcrace/cli/hostile-inputs.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void oneLineExitTwoNoStackTrace(String line) {
        CliRunner.Run r = CliRunner.run(words(line.replace("${DIR}", dir.toString())));
        assertEquals(2, r.code(), line + ": " + r.err() + r.out());
        assertEquals(1, r.err().strip().lines().count(), line + ": " + r.err());
        assertTrue(r.err().startsWith("gpcrace: "), line + ": " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), line + ": " + r.err());
        assertFalse(r.out().contains("[gpc-") || r.out().contains("RESULT"), line + ": something was measured: " + r.out());
    }

    /** Shell-like words: double quotes group, "" is an empty word. */
    static String[] words(String line) {
        List<String> w = new ArrayList<>();
        StringBuilder cur = null;
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                if (cur == null) cur = new StringBuilder();
            } else if (c == ' ' && !quoted) {
                if (cur != null) w.add(cur.toString());
                cur = null;
            } else {
                if (cur == null) cur = new StringBuilder();
                cur.append(c);
            }
        }
        if (cur != null) w.add(cur.toString());
        return w.toArray(String[]::new);
    }
}
