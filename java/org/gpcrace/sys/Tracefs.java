package org.gpcrace.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's tracing (tracefs), as an independent instrument beside gpcrace's own clocks:
 * a private trace instance (instances/NAME: its own ring buffer, events, filters and trace clock,
 * so nothing another tracer set up is touched) with the events asked for, read back as
 * {@link Event}s. Everything the instance changes goes away with it; the instance itself (and the
 * tracefs mount, when tracefs was not mounted and gpcrace had to mount it, as trace-cmd does) is a
 * host change journaled through {@link HostChanges}, so a killed run's instance is removed at the
 * next start.
 *
 * <pre>
 *   Optional&lt;String&gt; why = Tracefs.refusal(List.of("syscalls/sys_enter_madvise"), "x86-tsc");
 *   try (Tracefs.Session s = Tracefs.open("gpcrace-probe", List.of("syscalls/sys_enter_madvise", "syscalls/sys_exit_madvise"),
 *           "x86-tsc", "common_pid == 1234")) {
 *       s.start(); ... s.stop();
 *       for (Tracefs.Event e : s.events()) ...
 *   }
 * </pre>
 */
public final class Tracefs {
    private static final List<Path> MOUNTED_AT = List.of(Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing"));
    private static final java.util.concurrent.atomic.AtomicInteger MOUNTS = new java.util.concurrent.atomic.AtomicInteger();
    /** Per-CPU ring buffer of an instance: room for about 100,000 syscall events per CPU. */
    static final int BUFFER_KB = 8192;

    private Tracefs() {}

    /** Where tracefs is mounted at one of the places tracers look (trace-cmd, perf), if anywhere. */
    public static Optional<Path> mounted() {
        for (Path p : MOUNTED_AT) if (Files.isDirectory(p.resolve("instances"))) return Optional.of(p);
        return Optional.empty();
    }

    /**
     * The tracefs root to make instances in: a standard mount, or, when tracefs is mounted
     * nowhere, tracefs mounted on a directory of this process's own (so nothing another tool
     * expects at /sys/kernel/tracing changes); the directory and the mount are host changes
     * journaled through {@link HostChanges} and added to {@code made}, undone when those close
     * (after a killed run at the next start).
     */
    public static Path root(List<HostChange> made, String what) throws IOException {
        Optional<Path> m = mounted();
        if (m.isPresent()) return m.get();
        Path mp = Path.of(System.getProperty("java.io.tmpdir"), "gpcrace-tracefs-" + ProcessHandle.current().pid() + "-" + MOUNTS.incrementAndGet());
        made.add(HostChanges.mkdir(mp, "tracefs mount point for " + what));
        made.add(HostChanges.mount("tracefs", mp, "tracefs for " + what));
        return mp;
    }

    /**
     * Why these events cannot be traced here with this clock (a reason and its fix), or empty:
     * no tracefs in the kernel, not root (instances and mounts need it), no such event or clock.
     */
    public static Optional<String> refusal(List<String> events, String clock) { return refusal(events, clock, mounted().orElse(null)); }

    /** The same, against tracefs mounted at {@code at} (null: mounted nowhere yet, so the events cannot be checked). */
    static Optional<String> refusal(List<String> events, String clock, Path at) {
        if (!ProcFiles.read("/proc/filesystems").orElse("").contains("tracefs")) {
            return Optional.of("the kernel has no tracefs; fix: a kernel with CONFIG_TRACING (and CONFIG_FTRACE_SYSCALLS for syscall events)");
        }
        Optional<Path> root = Optional.ofNullable(at);
        if (!"0".equals(uid())) {
            return Optional.of("tracing needs root (a trace instance of its own" + (root.isEmpty() ? ", and mounting tracefs" : "")
                    + "); fix: run as root");
        }
        if (root.isEmpty()) return Optional.empty(); // mountable: the events are checked once it is mounted
        for (String e : events) {
            if (!Files.isDirectory(root.get().resolve("events").resolve(e))) {
                return Optional.of("no trace event " + e + " in " + root.get() + "; fix: a kernel with that tracepoint"
                        + (e.startsWith("syscalls/") ? " (CONFIG_FTRACE_SYSCALLS)" : ""));
            }
        }
        String clocks = ProcFiles.read(root.get().resolve("trace_clock").toString()).orElse("");
        if (!List.of(clocks.replace("[", "").replace("]", "").split("\\s+")).contains(clock)) {
            return Optional.of("no trace clock " + clock + " (offered: " + clocks + "); fix: an x86 kernel with a stable TSC");
        }
        return Optional.empty();
    }

    /**
     * A trace instance NAME-PID with these events enabled (each with {@code filter}, or none), its
     * clock set and its buffer emptied; tracing off until {@link Session#start()}. Mounts tracefs
     * on a private directory first when it is mounted nowhere ({@link #root}).
     */
    public static Session open(String name, List<String> events, String clock, String filter) throws IOException {
        List<HostChange> made = new ArrayList<>();
        try {
            Path root = root(made, "gpcrace's cross-check");
            Optional<String> no = refusal(events, clock, root);
            if (no.isPresent()) throw new IOException(no.get());
            Path dir = root.resolve("instances").resolve(name + "-" + ProcessHandle.current().pid());
            made.add(HostChanges.mkdir(dir, "trace instance for gpcrace's cross-check"));
            Session s = new Session(dir, made);
            try {
                s.write("tracing_on", "0");
                s.write("buffer_size_kb", Integer.toString(BUFFER_KB));
                s.write("trace_clock", clock);
                for (String e : events) {
                    if (filter != null) s.write("events/" + e + "/filter", filter);
                    s.write("events/" + e + "/enable", "1");
                }
                s.write("trace", ""); // empty the instance's own buffer
            } catch (IOException | RuntimeException x) {
                s.close();
                throw x;
            }
            return s;
        } catch (IOException | RuntimeException x) {
            closeAll(made);
            throw x;
        }
    }

    /** Newest first: the instance before the mount it lives in, the mount before its directory. */
    static void closeAll(List<HostChange> made) {
        for (int i = made.size() - 1; i >= 0; i--) made.get(i).close();
        made.clear();
    }

    /** One event as the trace file prints it: task, pid, CPU, timestamp (trace clock units) and the event's text. */
    public record Event(String task, int pid, int cpu, long timestamp, String text) {
        /** The event's name: "sys_madvise" of "sys_madvise(start: ..)" and "sys_madvise -> 0x0", "kvm_pvclock_update" of "kvm_pvclock_update: ...". */
        public String name() {
            int i = 0;
            while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) i++;
            return text.substring(0, i);
        }

        /** A syscall exit event ("sys_madvise -> 0x0"). */
        public boolean syscallExit() { return text.contains(" -> "); }
    }

    private static final Pattern LINE = Pattern.compile("^\\s*(.*)-(\\d+)\\s+\\[(\\d+)\\]\\s+\\S+\\s+(\\d+)(?:\\.(\\d+))?:\\s+(.*)$");

    /** The trace file's events, in order; comment lines skipped. Timestamps "s.us" (clocks in seconds) become ns. */
    public static List<Event> parse(String trace) {
        List<Event> out = new ArrayList<>();
        for (String line : trace.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            Matcher m = LINE.matcher(line);
            if (!m.matches()) continue;
            long ts = Long.parseLong(m.group(4));
            if (m.group(5) != null) ts = ts * 1_000_000_000L + Long.parseLong((m.group(5) + "000000000").substring(0, 9));
            out.add(new Event(m.group(1).trim(), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), ts, m.group(6)));
        }
        return out;
    }

    /** A trace instance: start/stop tracing, read what it recorded. Closing removes it (and unmounts what it mounted). */
    public static final class Session implements AutoCloseable {
        private final Path dir;
        private final List<HostChange> changes;

        Session(Path dir, List<HostChange> changes) {
            this.dir = dir;
            this.changes = changes;
        }

        public Path dir() { return dir; }

        void write(String file, String value) throws IOException { Files.writeString(dir.resolve(file), value); }

        public void start() throws IOException { write("tracing_on", "1"); }

        public void stop() throws IOException { write("tracing_on", "0"); }

        /** Empties the buffer (between two measurements). */
        public void clear() throws IOException { write("trace", ""); }

        public List<Event> events() throws IOException { return parse(Files.readString(dir.resolve("trace"))); }

        /** Events the ring buffer dropped because it was full (overrun), summed over CPUs; the read events are then incomplete. */
        public long lost() {
            long n = 0;
            try (var cpus = Files.newDirectoryStream(dir.resolve("per_cpu"))) {
                for (Path c : cpus) {
                    for (String l : Files.readAllLines(c.resolve("stats"))) if (l.startsWith("overrun:")) n += Long.parseLong(l.substring(8).trim());
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
            return n;
        }

        @Override public void close() {
            try {
                stop();
            } catch (IOException ignored) {
                // removing the instance stops it too
            }
            closeAll(changes);
        }
    }

    /** The per-event filter that keeps one thread's events. */
    public static String pidFilter(long tid) { return "common_pid == " + tid; }


    private static String uid() {
        return ProcFiles.read("/proc/self/status").flatMap(s -> s.lines().filter(l -> l.startsWith("Uid:")).findFirst())
                .map(l -> l.split("\\s+")[1]).orElse("user");
    }
}
