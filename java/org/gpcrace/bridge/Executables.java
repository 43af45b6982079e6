package org.gpcrace.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/**
 * The programs built beside libgpcrace.so: gpcrace-actor (the measured process) and gpcrace-plain
 * (the separate plain C reference). Found in -Dgpcrace.native.dir (make, tests), else extracted
 * from the jar beside the extracted library, executable by this user only, deleted at exit.
 */
public final class Executables {
    public static final String ACTOR = "gpcrace-actor";
    public static final String PLAIN = "gpcrace-plain";
    private static final Map<String, Path> found = new HashMap<>();

    private Executables() {}

    public static synchronized Path path(String name) {
        Path p = found.get(name);
        if (p == null) {
            p = locate(name);
            found.put(name, p);
        }
        return p;
    }

    private static Path locate(String name) {
        String dir = System.getProperty("gpcrace.native.dir");
        if (dir != null && !dir.isBlank()) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p.toAbsolutePath();
        }
        try (InputStream in = Executables.class.getResourceAsStream("/org/gpcrace/native/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is neither in " + (dir == null ? "-Dgpcrace.native.dir" : dir)
                        + " nor in the jar: run 'make'");
            }
            Path beside = NativeLibrary.path().getParent();
            Path tmp = Files.createTempFile(beside, name + "-", "",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING); // a new file: the mode is set again below
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
            return tmp;
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract " + name + ": " + e.getMessage(), e);
        }
    }
}
