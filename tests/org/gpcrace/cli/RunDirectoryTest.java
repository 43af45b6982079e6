package org.gpcrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gpcrace.CliRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** --out is checked before anything is measured, and every run writes a directory of its own. */
class RunDirectoryTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"file", "below-file", "unwritable", "empty"})
    void aBadOutIsRefusedAtOnceBeforeAnyMeasurement(String kind) throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        String out = switch (kind) {
            case "file" -> file.toString();
            case "below-file" -> file.resolve("sub").toString();
            case "unwritable" -> "/proc/gpcrace-results";
            default -> "";
        };
        long t0 = System.nanoTime();
        // a minute of measurement was asked for: a refusal after it would take that long
        CliRunner.Run r = CliRunner.run("run", "gpc", "--protocol", "rwlock", "--duration", "60s", "--out=" + out);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(seconds < 1.0, "refused after " + seconds + " s");
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("gpcrace: --out"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertTrue(r.out().isEmpty(), "nothing measured: " + r.out());
    }

    @Test
    void twoRunsAtOnceKeepBothResults() throws Exception {
        Path root = dir.resolve("shared");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<CliRunner.Run>> runs = new ArrayList<>();
            for (String p : List.of("rwlock", "seqcount-srcu")) {
                Callable<CliRunner.Run> c = () -> CliRunner.run("run", "gpc", "--protocol", p, "--rounds", "300", "-q", "--out", root.toString());
                runs.add(pool.submit(c));
            }
            for (Future<CliRunner.Run> f : runs) assertEquals(0, f.get().code(), f.get().out() + f.get().err());
        } finally {
            pool.shutdown();
        }
        List<Path> dirs;
        try (var s = Files.list(root)) {
            dirs = s.filter(p -> !p.getFileName().toString().equals("latest") && Files.isDirectory(p)).toList();
        }
        assertEquals(2, dirs.size(), dirs.toString());
        for (Path d : dirs) assertTrue(Files.size(d.resolve("results.json")) > 100, d.toString());
        assertTrue(Files.isSymbolicLink(root.resolve("latest")));
        assertTrue(dirs.contains(root.resolve(Files.readSymbolicLink(root.resolve("latest")))), "latest points at one of them");
    }
}
