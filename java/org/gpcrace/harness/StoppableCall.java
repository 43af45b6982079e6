package org.gpcrace.harness;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A blocking native call that can be asked to stop: it runs on a thread of its own while the
 * caller polls for Ctrl-C every 10 ms and, once, tells the native side to end at its next safe
 * point (a stop flag in its configuration), then waits for the call to return with what it has.
 */
public final class StoppableCall {
    /** What the call returned, and whether a stop was requested while it ran. */
    public record Outcome(long value, boolean stopped) {}

    private StoppableCall() {}

    /**
     * Runs {@code call} on a daemon thread named {@code name}; {@code requestStop} is run once when
     * {@code stopRequested} first says so. An exception of the call is rethrown, named by {@code what}.
     */
    public static Outcome run(String name, String what, LongSupplier call, BooleanSupplier stopRequested, Runnable requestStop)
            throws InterruptedException {
        long[] rc = {0};
        Throwable[] failure = {null};
        Thread t = Thread.ofPlatform().name(name).daemon(true).start(() -> {
            try {
                rc[0] = call.getAsLong();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        boolean stopped = false;
        while (t.isAlive()) {
            t.join(10);
            if (!stopped && stopRequested.getAsBoolean()) {
                stopped = true;
                requestStop.run();
            }
        }
        if (failure[0] != null) throw new IllegalStateException(what + ": " + failure[0].getMessage(), failure[0]);
        return new Outcome(rc[0], stopped);
    }
}
