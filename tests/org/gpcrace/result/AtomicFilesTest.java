package org.gpcrace.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes replace the file whole, leave no temp file behind, and are world-readable. */
class AtomicFilesTest {
    @Test
    void replacesContentLeavesNoTempAndIsReadable(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("results.json");
        AtomicFiles.write(f, "old");
        AtomicFiles.write(f, "new");
        assertEquals("new", Files.readString(f));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temp file left");
        }
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }
}
