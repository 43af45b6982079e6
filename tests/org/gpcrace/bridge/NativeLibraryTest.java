package org.gpcrace.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A file shipped in the jar is extracted once per content into the user's cache and reused: nothing per run is left behind. */
class NativeLibraryTest {
    static final String RESOURCE = "/org/gpcrace/results.schema.json"; // any file the jar ships

    @Test
    void extractedOncePerContentAndReused() throws Exception {
        Path a = NativeLibrary.extract(RESOURCE, "extract-test.json", false);
        long written = Files.getLastModifiedTime(a).toMillis();
        Thread.sleep(20);
        Path b = NativeLibrary.extract(RESOURCE, "extract-test.json", false);
        assertEquals(a, b, "the same content gives the same file");
        assertEquals(written, Files.getLastModifiedTime(b).toMillis(), "reused, not written again");
        assertTrue(a.getFileName().toString().matches("extract-test-[0-9a-f]{16}\\.json"), a.toString());
        assertEquals(NativeLibrary.cacheDir(), a.getParent());
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(a.getParent())));
        Files.delete(a);
    }

    @Test
    void concurrentExtractionsAgreeOnOneFile() throws Exception {
        List<CompletableFuture<Path>> fs = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> NativeLibrary.extract(RESOURCE, "extract-race.json", false))).toList();
        Path first = fs.getFirst().get();
        for (var f : fs) assertEquals(first, f.get());
        try (var s = Files.list(first.getParent())) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().startsWith(".extract-race")).count(), "no temp file left");
        }
        Files.delete(first);
    }
}
