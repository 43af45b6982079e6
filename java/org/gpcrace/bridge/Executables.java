package org.gpcrace.bridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The programs built beside libgpcrace.so: gpcrace-actor (the measured process) and gpcrace-plain
 * (the separate plain C reference). Found in -Dgpcrace.native.dir (make, tests), else extracted
 * from the jar like the library (NativeLibrary.extract: once per content, into the user's cache
 * directory, executable by this user only).
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
        return NativeLibrary.extract("/org/gpcrace/native/" + name, name, true);
    }
}
