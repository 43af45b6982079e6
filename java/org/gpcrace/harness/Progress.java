package org.gpcrace.harness;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr while tests run. On a terminal: one live line (test i/n, elapsed, ETA, work
 * so far), rewritten four times a second and cleared before results are printed. Otherwise (CI
 * logs): a heartbeat line every 10 s. Silent with --quiet.
 */
public final class Progress implements AutoCloseable {
    public enum Mode { LIVE, HEARTBEAT, QUIET }

    static final long LIVE_PERIOD_MS = 250, HEARTBEAT_PERIOD_MS = 10_000;

    private final PrintWriter err;
    private final Mode mode;
    private final Thread ticker;
    private final long runStartNs = System.nanoTime();
    private volatile String test = "";
    private volatile int index, count;
    private volatile long testStartNs, done;
    private volatile String unit = "";
    private volatile double plannedRemaining, plannedThis;
    private boolean lineShown;

    public Progress(PrintWriter err, Mode mode) {
        this.err = err;
        this.mode = mode;
        if (mode == Mode.QUIET) {
            ticker = null;
            return;
        }
        ticker = Thread.ofPlatform().daemon().name("gpcrace-progress").start(this::tick);
    }

    /** The mode for this process: live on a terminal, heartbeats otherwise, nothing when quiet. */
    public static Mode modeFor(boolean quiet) {
        if (quiet) return Mode.QUIET;
        java.io.Console c = System.console();
        return c != null && c.isTerminal() ? Mode.LIVE : Mode.HEARTBEAT;
    }

    /** Test {@code i} (1-based) of {@code n} starts; {@code plannedSeconds} is its own estimate, {@code plannedAfter} the rest's. */
    public synchronized void begin(int i, int n, String name, double plannedSeconds, double plannedAfter) {
        clear();
        index = i;
        count = n;
        test = name;
        testStartNs = System.nanoTime();
        done = 0;
        unit = "";
        plannedThis = plannedSeconds;
        plannedRemaining = plannedAfter;
    }

    public void work(long n, String what) {
        done = n;
        unit = what;
    }

    /** Clears the live line so results print on a clean line. */
    public synchronized void clear() {
        if (lineShown) {
            err.print("\r\033[K");
            err.flush();
            lineShown = false;
        }
    }

    private void tick() {
        long period = mode == Mode.LIVE ? LIVE_PERIOD_MS : HEARTBEAT_PERIOD_MS;
        try {
            for (;;) {
                Thread.sleep(period);
                synchronized (this) {
                    if (test.isEmpty()) continue;
                    String line = line();
                    if (mode == Mode.LIVE) {
                        err.print("\r\033[K" + line);
                        lineShown = true;
                    } else {
                        err.println("gpcrace: " + line);
                    }
                    err.flush();
                }
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }

    String line() {
        double elapsed = (System.nanoTime() - testStartNs) / 1e9, total = (System.nanoTime() - runStartNs) / 1e9;
        String eta = "";
        if (plannedThis > 0 || plannedRemaining > 0) {
            double left = Math.max(0, plannedThis - elapsed) + plannedRemaining;
            eta = String.format(Locale.ROOT, ", ETA %s", seconds(left));
        }
        String work = done > 0 ? String.format(Locale.ROOT, ", %,d %s", done, unit) : "";
        return String.format(Locale.ROOT, "[%d/%d] %s %s%s (run %s%s)", index, count, test, seconds(elapsed), work, seconds(total), eta);
    }

    private static String seconds(double s) {
        return s < 120 ? String.format(Locale.ROOT, "%.1f s", s) : String.format(Locale.ROOT, "%d min %02d s", (long) s / 60, (long) s % 60);
    }

    @Override public synchronized void close() {
        if (ticker != null) ticker.interrupt();
        clear();
    }
}
