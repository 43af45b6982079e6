package org.gpcrace.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Small readers for /proc and /sys files; a missing file is "absent", never an exception. */
public final class ProcFiles {
    private ProcFiles() {}

    public static Optional<String> read(String path) {
        try {
            return Optional.of(Files.readString(Path.of(path)).trim());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** A "Key:   value kB" line of /proc/meminfo, in bytes (kB scaled), or -1. */
    public static long meminfoBytes(String key) {
        return read("/proc/meminfo").flatMap(s -> s.lines().filter(l -> l.startsWith(key + ":")).findFirst())
                .map(l -> {
                    String[] p = l.substring(key.length() + 1).trim().split("\\s+");
                    long v = Long.parseLong(p[0]);
                    return p.length > 1 && p[1].equals("kB") ? v * 1024 : v;
                }).orElse(-1L);
    }

    /** A "Key: value" line of /proc/meminfo as a plain count (HugePages_Free), or -1. */
    public static long meminfoCount(String key) {
        return read("/proc/meminfo").flatMap(s -> s.lines().filter(l -> l.startsWith(key + ":")).findFirst())
                .map(l -> Long.parseLong(l.substring(key.length() + 1).trim().split("\\s+")[0])).orElse(-1L);
    }

    /** The bracketed choice of a sysfs mode file ("always [madvise] never" -> "madvise"). */
    public static Optional<String> bracketed(String path) {
        return read(path).map(s -> {
            int a = s.indexOf('['), b = s.indexOf(']');
            return a >= 0 && b > a ? s.substring(a + 1, b) : s;
        });
    }
}
