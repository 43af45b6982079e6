package org.gpcrace.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Ctrl-C while a scenario runs: the JVM's shutdown hook asks the scenario to stop, then waits
 * (bounded) until the scenario has released its resources (fds, mappings) and written what it
 * finished. Use in try-with-resources around the run; the scenario polls {@link #stopRequested()}.
 */
public final class InterruptGuard implements AutoCloseable, BooleanSupplier {
    private static final long WAIT_SECONDS = 15;

    private volatile boolean stop;
    private final CountDownLatch released = new CountDownLatch(1);
    private final Thread hook;

    public InterruptGuard(String what) {
        hook = new Thread(() -> {
            stop = true;
            try {
                released.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "gpcrace-stop-" + what);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public boolean stopRequested() { return stop; }

    /** What a shutdown does, for tests and for callers that stop a run themselves. */
    public void requestStop() { stop = true; }

    @Override public boolean getAsBoolean() { return stop; }

    @Override public void close() {
        released.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns now that resources are released
        }
    }
}
