package org.gpcrace.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Finds libgpcrace.so: the directory named by -Dgpcrace.native.dir (tests, make), else the copy
 * inside the jar, extracted once per content into the user's cache directory
 * ($XDG_CACHE_HOME/gpcrace, ~/.cache/gpcrace) as libgpcrace-HASH.so and reused by every later run:
 * a killed run leaves nothing behind, and two versions of the tool never share a file.
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
        return extract(RESOURCE, FILE, false);
    }

    /**
     * A file shipped in the jar at {@code resource}, as a file of its own: in the cache directory
     * under {@code name} with the content's hash in it, written once (temp file + rename, so
     * concurrent runs agree) and reused while the content is the same.
     */
    public static Path extract(String resource, String name, boolean executable) {
        byte[] content;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the native helper " + name + " is neither in -Dgpcrace.native.dir nor in the jar: run 'make'");
            }
            content = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + " from the jar: " + e.getMessage(), e);
        }
        String hash = sha256(content).substring(0, 16);
        int dot = name.lastIndexOf('.');
        String file = dot < 0 ? name + "-" + hash : name.substring(0, dot) + "-" + hash + name.substring(dot);
        Path dir = cacheDir();
        Path target = dir.resolve(file);
        try {
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Files.size(target) == content.length
                    && sha256(Files.readAllBytes(target)).startsWith(hash)) {
                return target;
            }
            Path tmp = Files.createTempFile(dir, "." + file + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(executable ? "rwx------" : "rw-------")));
            try {
                Files.write(tmp, content);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract " + name + " into " + dir + ": " + e.getMessage(), e);
        }
    }

    /** $XDG_CACHE_HOME/gpcrace or ~/.cache/gpcrace (0700), else a private directory under the temp dir. */
    static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        String home = System.getProperty("user.home");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home != null ? Path.of(home, ".cache") : null;
        if (base != null) {
            Path d = base.resolve("gpcrace");
            if (ownedDirectory(d)) return d;
        }
        Path d = Path.of(System.getProperty("java.io.tmpdir"), "gpcrace-cache-" + System.getProperty("user.name", "user"));
        if (ownedDirectory(d)) return d;
        throw new IllegalStateException("no cache directory for the native helper: " + base + " and " + d
                + " cannot be made private to this user (set XDG_CACHE_HOME)");
    }

    /** Makes {@code d} (0700) or accepts it when this user owns it and nobody else can write there. */
    private static boolean ownedDirectory(Path d) {
        try {
            if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(d.getParent());
                Files.createDirectory(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) return false;
            var owner = Files.getOwner(d, LinkOption.NOFOLLOW_LINKS);
            var perms = Files.getPosixFilePermissions(d, LinkOption.NOFOLLOW_LINKS);
            boolean private_ = !perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                    && !perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
            return owner.getName().equals(System.getProperty("user.name")) && private_ && Files.isWritable(d);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
