package org.gpcrace.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Finds libgpcrace.so: the directory named by -Dgpcrace.native.dir (tests, make), else the copy
 * inside the jar, extracted to a private temp file that is deleted when the JVM exits.
 */
public final class NativeLibrary {
    public static final String FILE = "libgpcrace.so";
    private static final String RESOURCE = "/org/gpcrace/native/" + FILE;
    private static Path path;

    private NativeLibrary() {}

    public static synchronized Path path() {
        if (path == null) path = locate();
        return path;
    }

    private static Path locate() {
        String dir = System.getProperty("gpcrace.native.dir");
        if (dir != null && !dir.isBlank()) {
            Path p = Path.of(dir, FILE);
            if (Files.isRegularFile(p)) return p.toAbsolutePath();
        }
        try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the native helper " + FILE + " is neither in "
                        + (dir == null ? "-Dgpcrace.native.dir" : dir) + " nor in the jar: run 'make'");
            }
            Path tmp = Files.createTempFile("gpcrace-", ".so",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract " + FILE + ": " + e.getMessage(), e);
        }
    }
}
