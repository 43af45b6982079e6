package org.gpcrace.measure;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time the JVM's own threads took beside a test: every thread of this process but the
 * one that drives the actors (which waits for them while they run), i.e. the JIT compilers, the
 * collector, the progress line. On a machine with few CPUs these run on the actors' CPUs, which
 * TLB-shootdown counts do not show. From each thread's /proc/self/task/TID/schedstat (ns on a CPU);
 * a thread that ends during the test takes its time with it, so the figure is a lower bound.
 */
public final class JvmCpu {
    private JvmCpu() {}

    /** Why {@link #othersNs()} may answer -1, and what would make it answer. */
    public static final String UNKNOWN = "/proc/thread-self or /proc/self/task/TID/schedstat cannot be read"
            + " (fix: Linux with procfs mounted at /proc and schedstats, CONFIG_SCHED_INFO)";

    /** ns on a CPU so far of every thread but the calling one; -1 where /proc does not tell. */
    public static long othersNs() {
        String self;
        try {
            self = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (IOException | UnsupportedOperationException e) {
            return -1; // no /proc/thread-self: the caller says UNKNOWN
        }
        // a kernel without schedstats has no file for any thread: unknown, not 0
        if (!Files.isReadable(Path.of("/proc/thread-self/schedstat"))) return -1;
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                if (t.getFileName().toString().equals(self)) continue;
                sum += runNs(t.resolve("schedstat"));
            }
        } catch (IOException e) {
            return -1; // no /proc/self/task: the caller says UNKNOWN
        }
        return sum;
    }

    /** The first field of a schedstat line (time on a CPU, ns); 0 for a thread gone meanwhile. */
    private static long runNs(Path schedstat) {
        try {
            String s = Files.readString(schedstat).strip();
            int sp = s.indexOf(' ');
            return Long.parseLong(sp < 0 ? s : s.substring(0, sp));
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
