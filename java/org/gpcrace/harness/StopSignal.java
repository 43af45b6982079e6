package org.gpcrace.harness;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Ctrl-C while tests run: the first SIGINT asks the running test to stop at its next safe point
 * (it reports what it has, marked interrupted), the runner writes the results and starts no further
 * test; a second SIGINT exits at once (status 130; every finished test is already on disk).
 * SIGTERM and other shutdowns go through a shutdown hook that sets the same flag and waits
 * (bounded) until the runner has released resources and written its files.
 */
public final class StopSignal implements AutoCloseable, BooleanSupplier {
    private static final long HOOK_WAIT_SECONDS = 15;

    private volatile boolean stop;
    private final CountDownLatch released = new CountDownLatch(1);
    private final Thread hook;
    private final Object previousInt;

    public StopSignal() {
        hook = new Thread(() -> {
            stop = true;
            try {
                released.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "gpcrace-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        previousInt = SigInt.install(this::interrupt);
    }

    private void interrupt() {
        if (stop) Runtime.getRuntime().halt(org.gpcrace.result.Grading.EXIT_INTERRUPTED); // the second Ctrl-C: the user does not want to wait
        stop = true;
    }

    public boolean stopRequested() { return stop; }

    /** What Ctrl-C does, for tests and for callers that stop a run themselves. */
    public void requestStop() { stop = true; }

    @Override public boolean getAsBoolean() { return stop; }

    @Override public void close() {
        released.countDown();
        SigInt.restore(previousInt);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns now that resources are released
        }
    }
}
