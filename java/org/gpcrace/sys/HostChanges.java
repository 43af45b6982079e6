package org.gpcrace.sys;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every change gpcrace makes to the host goes through here, so the host is left as it was found.
 * The change is written to a journal (one JSON file per process in {@link #journalDir()}) before
 * it is made; undoing it removes it from the journal. Changes still open at exit (normal, Ctrl-C,
 * SIGTERM) are undone by a shutdown hook, newest first. After a killed run (SIGKILL, a crash, a
 * power cut) the journal stays: the next gpcrace start, or `gpcrace doctor --restore`, finds it
 * (its process is gone) and undoes what it lists.
 *
 * The journal holds data, not code, so a later process can undo it: a file's old content, a
 * directory to remove, a swap file to switch off and delete, a file to delete.
 */
public final class HostChanges {
    private HostChanges() {}

    /** The kinds of undo a journal entry can ask for. */
    public enum Kind { WRITE_FILE, RMDIR, SWAPOFF, DELETE_FILE, UMOUNT }

    /** One journal entry: undo {@code kind} on {@code path}; {@code value} is the content to write back (WRITE_FILE). */
    public record Entry(long id, Kind kind, String path, String value, String what) {}

    /**
     * Jackson only when a journal is read or written: every start looks for stale journals and few
     * find one, so the start of a command does not pay for loading Jackson (a quarter second).
     */
    private static final class Journal {
        static final ObjectMapper JSON = new ObjectMapper();

        static List<Entry> read(String text) throws IOException { return JSON.readValue(text, new TypeReference<List<Entry>>() {}); }

        static String write(List<Entry> entries) throws IOException { return JSON.writeValueAsString(entries); }
    }
    private static final List<Entry> open = new ArrayList<>();
    private static long nextId = 1;
    private static Path journal;
    private static boolean hooked;

    /** Where journals live: /run/gpcrace (root), else $XDG_RUNTIME_DIR/gpcrace, else /tmp/gpcrace-UID. */
    public static Path journalDir() {
        String override = System.getProperty("gpcrace.journal.dir");
        if (override != null) return Path.of(override);
        if ("0".equals(uid()) && Files.isWritable(Path.of("/run"))) return Path.of("/run/gpcrace");
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && Files.isDirectory(Path.of(xdg))) return Path.of(xdg, "gpcrace");
        return Path.of(System.getProperty("java.io.tmpdir"), "gpcrace-" + uid());
    }

    /**
     * Writes {@code newValue} to {@code path} (a /sys or /proc knob, a tracing file); the content
     * read now is written back at close.
     */
    public static HostChange writeFile(Path path, String newValue, String what) throws IOException {
        String old = Files.readString(path).strip();
        return writeFile(path, newValue, old, what);
    }

    /** The same, restoring {@code restoreValue} (for files whose read-back form differs, e.g. trace_clock's "[local] global x86-tsc"). */
    public static synchronized HostChange writeFile(Path path, String newValue, String restoreValue, String what) throws IOException {
        Entry e = journalled(Kind.WRITE_FILE, path, restoreValue, what + ": " + path + " = " + newValue + " (was " + restoreValue + ")");
        try {
            Files.writeString(path, newValue);
        } catch (IOException | RuntimeException x) {
            forget(e);
            throw x;
        }
        return handle(e);
    }

    /** Creates {@code dir} (a cgroup, a scratch directory); removed at close. */
    public static synchronized HostChange mkdir(Path dir, String what) throws IOException {
        if (Files.exists(dir)) throw new IOException(dir + " exists already: gpcrace does not take over what it did not create");
        Entry e = journalled(Kind.RMDIR, dir, null, what + ": made " + dir);
        try {
            Files.createDirectory(dir);
        } catch (IOException | RuntimeException x) {
            forget(e);
            throw x;
        }
        return handle(e);
    }

    /** A file gpcrace has just created: deleted at close. */
    public static synchronized HostChange deleteOnClose(Path file, String what) throws IOException {
        return handle(journalled(Kind.DELETE_FILE, file, null, what + ": created " + file));
    }

    /**
     * A swap file of {@code bytes}: created, mkswap'd and switched on; at close switched off and
     * deleted. Needs root and a filesystem that supports swap files.
     */
    public static synchronized HostChange swapFile(Path file, long bytes, String what) throws IOException {
        if (Files.exists(file)) throw new IOException(file + " exists already");
        HostChange delete = deleteOnClose(file, what);
        try {
            try (var f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
                byte[] zero = new byte[1 << 20];
                for (long left = bytes; left > 0; left -= zero.length) f.write(zero, 0, (int) Math.min(zero.length, left));
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            run("mkswap", file.toString());
            Entry e = journalled(Kind.SWAPOFF, file, null, what + ": swapon " + file);
            try {
                run("swapon", file.toString());
            } catch (IOException x) {
                forget(e);
                throw x;
            }
            HostChange off = handle(e);
            return new HostChange() {
                @Override public String describe() { return off.describe(); }
                @Override public void close() { off.close(); delete.close(); }
            };
        } catch (IOException | RuntimeException x) {
            delete.close();
            throw x;
        }
    }

    /**
     * mount -t {@code type} {@code type} {@code target} (tracefs, where the kernel has it but nothing
     * mounted it); unmounted at close.
     */
    public static synchronized HostChange mount(String type, Path target, String what) throws IOException {
        Entry e = journalled(Kind.UMOUNT, target, null, what + ": mount -t " + type + " on " + target);
        try {
            run("mount", "-t", type, type, target.toString());
        } catch (IOException | RuntimeException x) {
            forget(e);
            throw x;
        }
        return handle(e);
    }

    /** The changes this process has open now, oldest first. */
    public static synchronized List<Entry> openChanges() { return List.copyOf(open); }

    /**
     * Undoes what runs that are gone left in their journals (killed before they could), newest
     * change first; returns one line per change undone (or failed to undo).
     */
    public static synchronized List<String> recoverStale() {
        List<String> done = new ArrayList<>();
        Path dir = journalDir();
        if (!Files.isDirectory(dir)) return done;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "journal-*.json")) {
            for (Path j : ds) {
                if (j.equals(journal) || alive(j)) continue;
                List<Entry> entries;
                try {
                    entries = Journal.read(Files.readString(j));
                } catch (IOException e) {
                    done.add("unreadable journal " + j + " (" + e.getMessage() + "): left in place");
                    continue;
                }
                boolean clean = true;
                for (int i = entries.size() - 1; i >= 0; i--) {
                    Optional<String> err = undo(entries.get(i));
                    done.add((err.isEmpty() ? "restored: " : "could not restore: ") + entries.get(i).what() + err.map(s -> " (" + s + ")").orElse(""));
                    clean &= err.isEmpty();
                }
                if (clean) Files.deleteIfExists(j);
            }
        } catch (IOException e) {
            done.add("cannot read " + dir + ": " + e.getMessage());
        }
        return done;
    }

    // ---- internals

    private static Entry journalled(Kind kind, Path path, String value, String what) throws IOException {
        Entry e = new Entry(nextId++, kind, path.toAbsolutePath().toString(), value, what);
        open.add(e);
        try {
            save();
        } catch (IOException x) {
            open.remove(e);
            throw new IOException("cannot journal a host change in " + journalDir() + " (" + x.getMessage() + "): not made", x);
        }
        if (!hooked) {
            hooked = true;
            Runtime.getRuntime().addShutdownHook(new Thread(HostChanges::undoAll, "gpcrace-host-restore"));
        }
        return e;
    }

    private static HostChange handle(Entry e) {
        return new HostChange() {
            private boolean closed;

            @Override public String describe() { return e.what(); }

            @Override public void close() {
                synchronized (HostChanges.class) {
                    if (closed) return;
                    closed = true;
                    undo(e).ifPresent(err -> System.err.println("gpcrace: could not restore " + e.what() + ": " + err));
                    forget(e);
                }
            }
        };
    }

    private static void forget(Entry e) {
        open.remove(e);
        try {
            save();
        } catch (IOException x) {
            System.err.println("gpcrace: cannot update the host-change journal " + journal + ": " + x.getMessage());
        }
    }

    /** At exit: every change still open, newest first. */
    private static synchronized void undoAll() {
        for (int i = open.size() - 1; i >= 0; i--) {
            Entry e = open.get(i);
            undo(e).ifPresent(err -> System.err.println("gpcrace: could not restore " + e.what() + ": " + err));
        }
        open.clear();
        try {
            if (journal != null) Files.deleteIfExists(journal);
        } catch (IOException ignored) {
            // nothing left to undo; a stale empty journal is harmless
        }
    }

    private static Optional<String> undo(Entry e) {
        Path p = Path.of(e.path());
        try {
            switch (e.kind()) {
                case WRITE_FILE -> Files.writeString(p, e.value());
                case DELETE_FILE -> Files.deleteIfExists(p);
                case SWAPOFF -> {
                    if (swapActive(p)) run("swapoff", p.toString());
                }
                case UMOUNT -> {
                    if (mounted(p)) run("umount", p.toString());
                }
                case RMDIR -> {
                    for (int attempt = 0; ; attempt++) {
                        try {
                            Files.deleteIfExists(p);
                            break;
                        } catch (java.nio.file.FileSystemException busy) {
                            if (attempt >= 20) throw busy; // a cgroup empties once its last task is gone
                            Thread.sleep(50);
                        }
                    }
                }
            }
            return Optional.empty();
        } catch (IOException | InterruptedException x) {
            if (x instanceof InterruptedException) Thread.currentThread().interrupt();
            return Optional.of(x.getMessage() == null ? x.getClass().getSimpleName() : x.getMessage());
        }
    }

    private static void save() throws IOException {
        Path dir = journalDir();
        Files.createDirectories(dir);
        if (journal == null) {
            journal = dir.resolve("journal-" + ProcessHandle.current().pid() + "-" + startTime(ProcessHandle.current().pid()) + ".json");
        }
        if (open.isEmpty()) {
            Files.deleteIfExists(journal);
            return;
        }
        Path tmp = Files.createTempFile(dir, ".journal", ".tmp");
        Files.writeString(tmp, Journal.write(open), StandardCharsets.UTF_8);
        Files.move(tmp, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A journal's process still runs (same pid and start time: a reused pid is another process). */
    private static boolean alive(Path journalFile) {
        String[] p = journalFile.getFileName().toString().replace("journal-", "").replace(".json", "").split("-");
        if (p.length != 2) return false;
        try {
            long pid = Long.parseLong(p[0]);
            return startTime(pid).equals(p[1]);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Field 22 of /proc/PID/stat (start time in clock ticks), or "gone". */
    static String startTime(long pid) {
        String stat = ProcFiles.read("/proc/" + pid + "/stat").orElse(null);
        if (stat == null) return "gone";
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return f.length > 19 ? f[19] : "gone";
    }

    private static boolean swapActive(Path file) {
        return ProcFiles.read("/proc/swaps").map(s -> s.lines().anyMatch(l -> l.startsWith(file.toString() + " ")
                || l.startsWith(file.toString() + "\t"))).orElse(false);
    }

    private static boolean mounted(Path target) {
        String t = target.toAbsolutePath().toString();
        return ProcFiles.read("/proc/self/mountinfo").map(s -> s.lines().anyMatch(l -> l.split(" ")[4].equals(t))).orElse(false);
    }

    private static void run(String... cmd) throws IOException {
        Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (pr.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", cmd) + " interrupted");
        }
    }

    private static String uid() {
        return ProcFiles.read("/proc/self/status").flatMap(s -> s.lines().filter(l -> l.startsWith("Uid:")).findFirst())
                .map(l -> l.split("\\s+")[1]).orElse("user");
    }
}
