package org.gpcrace.compare;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where a results file is and its text, for every command that reads results: a file; a run
 * directory (its results.json); an output root (its latest run's results.json). Anything else is
 * one line naming what it is (a FIFO, a device, a symbolic-link loop, too large, not UTF-8).
 */
public final class ResultsFiles {
    private ResultsFiles() {}

    public static final String RESULTS = "results.json", LATEST = "latest";
    static final long MAX_BYTES = 512L << 20;

    /** The results.json {@code path} stands for. */
    public static Path locate(Path path) {
        if (Files.isDirectory(path)) {
            Path here = path.resolve(RESULTS);
            if (Files.exists(here)) return here;
            Path latest = path.resolve(LATEST).resolve(RESULTS);
            if (Files.exists(latest)) return latest;
            throw new InputException(Position.of(path.toString()), "a directory with no " + RESULTS + " (and no " + LATEST + " run in it)");
        }
        return path;
    }

    /** The UTF-8 text of the file {@code path} stands for. */
    public static Text read(Path path) {
        Path p = locate(path);
        String file = p.toString();
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (FileSystemException e) {
            String why = e.getReason() != null ? e.getReason().toLowerCase(java.util.Locale.ROOT) : "no such file";
            if (Files.isSymbolicLink(p) && !Files.exists(p)) why = loop(p) ? "a symbolic-link loop" : "a dangling symbolic link";
            throw new InputException(Position.of(file), why.contains("no such file") ? "no such file" : why);
        } catch (IOException e) {
            throw new InputException(Position.of(file), "cannot read: " + e.getMessage());
        }
        if (!a.isRegularFile()) {
            String what = a.isDirectory() ? "a directory" : a.isOther() ? "not a regular file (a FIFO, socket or device)" : "not a regular file";
            throw new InputException(Position.of(file), what);
        }
        if (a.size() > MAX_BYTES) throw new InputException(Position.of(file), "too large for a results file (" + a.size() + " bytes)");
        try {
            byte[] bytes = Files.readAllBytes(p);
            return new Text(file, StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            throw new InputException(Position.of(file), "not UTF-8 text (neither JSON nor a litmus log)");
        } catch (IOException e) {
            throw new InputException(Position.of(file), "cannot read: " + e.getMessage());
        }
    }

    private static boolean loop(Path p) {
        try {
            p.toRealPath();
            return false;
        } catch (FileSystemException e) {
            return e.getReason() != null && e.getReason().toLowerCase(java.util.Locale.ROOT).contains("levels of symbolic links");
        } catch (IOException e) {
            return false;
        }
    }

    /** A file's name and its text. */
    public record Text(String file, String text) {}

    static boolean exists(Path p) { return Files.exists(p, LinkOption.NOFOLLOW_LINKS); }
}
