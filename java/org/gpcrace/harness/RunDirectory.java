package org.gpcrace.harness;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where one run writes: a directory of its own under the output root (--out, default
 * gpcrace-results), named by time and command (20261127-113015-run-gpc), with a {@code latest}
 * link in the root pointing at it. Made before anything is measured, so a bad --out is refused at
 * once; two runs, also at the same time, never write into the same directory.
 */
public final class RunDirectory {
    public static final String LATEST = "latest";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunDirectory.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path root;
    private final Path dir;

    private RunDirectory(Path root, Path dir) {
        this.root = root;
        this.dir = dir;
    }

    public Path root() { return root; }

    public Path path() { return dir; }

    public Path file(String name) { return dir.resolve(name); }

    /**
     * Makes the run's directory under {@code root} and points {@code latest} at it. A root that is
     * empty, a file, below a file or not writable is refused with one line (IllegalArgumentException).
     */
    public static RunDirectory create(Path root, String command) {
        checkWritable(root);
        String base = LocalDateTime.now().format(STAMP) + "-" + command.strip().replaceAll("[^A-Za-z0-9_.-]+", "-");
        for (int n = 1; ; n++) {
            Path d = root.resolve(n == 1 ? base : base + "-" + n);
            try {
                Files.createDirectory(d);
                RunDirectory r = new RunDirectory(root, d);
                r.pointLatest();
                LOG.debug("run directory {} ({}/{} points at it)", d, root, LATEST);
                return r;
            } catch (FileAlreadyExistsException taken) {
                if (n > 1000) throw new IllegalArgumentException("--out " + root + ": cannot find a free run directory name");
            } catch (IOException e) {
                throw new IllegalArgumentException("--out " + root + ": cannot create a run directory: " + reason(e));
            }
        }
    }

    /** {@code dir} is, or can be made, a writable directory; otherwise one line (IllegalArgumentException). */
    public static void checkWritable(Path root) {
        if (root == null || root.toString().isBlank()) throw new IllegalArgumentException("--out: an empty directory name");
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new IllegalArgumentException("--out " + root + ": is a file, not a directory");
        }
        try {
            Files.createDirectories(root);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("--out " + root + ": " + e.getFile() + " is a file, not a directory");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("--out " + root + ": cannot create " + e.getFile() + ": permission denied");
        } catch (IOException e) {
            throw new IllegalArgumentException("--out " + root + ": cannot create it: " + reason(e));
        }
        if (!Files.isWritable(root)) throw new IllegalArgumentException("--out " + root + ": not writable");
    }

    /** {@code latest} -> this run, replaced atomically (a link renamed over the old one). */
    private void pointLatest() throws IOException {
        Path latest = root.resolve(LATEST);
        if (Files.exists(latest, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(latest)) return; // a user's own file: leave it
        Path tmp = root.resolve("." + LATEST + "." + ProcessHandle.current().pid() + "." + System.nanoTime());
        Files.createSymbolicLink(tmp, dir.getFileName());
        try {
            Files.move(tmp, latest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException n) return n.getFile() + ": no such directory";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
