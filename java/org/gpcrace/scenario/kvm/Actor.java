package org.gpcrace.scenario.kvm;

import java.util.concurrent.atomic.AtomicBoolean;
import org.gpcrace.bridge.NativeBridge;

/**
 * A platform thread running one actor's loop, pinned to a CPU when one is given. The first
 * failure is kept for the orchestrator to rethrow; stop() asks the loop to end.
 */
abstract class Actor implements Runnable {
    private final String name;
    private final NativeBridge bridge;
    private final int cpu;
    protected final AtomicBoolean stop = new AtomicBoolean();
    private volatile Throwable failure;
    private volatile boolean started;
    private Thread thread;

    Actor(String name, NativeBridge bridge, int cpu) {
        this.name = name;
        this.bridge = bridge;
        this.cpu = cpu;
    }

    String name() { return name; }
    int cpu() { return cpu; }

    /** The loop; returns when done or when {@link #stopping()} turns true. */
    protected abstract void body();

    protected boolean stopping() { return stop.get(); }

    @Override public final void run() {
        try {
            if (cpu >= 0) bridge.pinToCpu(cpu);
            started = true;
            body();
        } catch (Throwable t) {
            failure = t;
        }
    }

    Actor start() {
        thread = Thread.ofPlatform().name("gpcrace-" + name).daemon(true).start(this);
        return this;
    }

    void requestStop() { stop.set(true); }

    /** True once the actor is doing its job (default: its thread is pinned and in its loop), or has ended. */
    boolean ready() { return started || failure != null || (thread != null && !thread.isAlive()); }

    /** Waits up to {@code millis} for {@link #ready()}; the phase starts its vCPU only then, so short phases are not empty. */
    void awaitReady(long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000;
        while (!ready() && System.nanoTime() < until) Thread.sleep(1);
    }

    /** Stops the actor and waits up to {@code millis} for its thread; true when it ended. */
    boolean stopAndJoin(long millis) throws InterruptedException {
        requestStop();
        if (thread == null) return true;
        thread.join(millis);
        return !thread.isAlive();
    }

    boolean isAlive() { return thread != null && thread.isAlive(); }

    boolean failed() { return failure != null; }

    /** Wakes the actor's thread from LockSupport.park. */
    void unpark() { if (thread != null) java.util.concurrent.locks.LockSupport.unpark(thread); }

    void join(long millis) throws InterruptedException { if (thread != null) thread.join(millis); }

    /** The actor's failure, rethrown with its name, if it failed. */
    void rethrowFailure() {
        Throwable t = failure;
        if (t == null) return;
        if (t instanceof Error e) throw e;
        throw new IllegalStateException(name + " failed: " + t.getMessage(), t);
    }
}
