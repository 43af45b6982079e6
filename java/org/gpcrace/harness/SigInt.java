package org.gpcrace.harness;

/**
 * SIGINT through the JDK's sun.misc.Signal (module jdk.unsupported), so Ctrl-C stops a run
 * gracefully instead of starting the JVM's shutdown. Where it is not available the shutdown
 * hook of {@link StopSignal} still catches the signal.
 */
@SuppressWarnings("removal")
final class SigInt {
    private SigInt() {}

    /** Installs {@code onInt} as the SIGINT handler; returns the previous handler (opaque), or null. */
    static Object install(Runnable onInt) {
        try {
            return sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> onInt.run());
        } catch (IllegalArgumentException | LinkageError unavailable) {
            return null;
        }
    }

    static void restore(Object previous) {
        if (previous instanceof sun.misc.SignalHandler h) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal("INT"), h);
            } catch (IllegalArgumentException | LinkageError ignored) {
                // nothing to restore
            }
        }
    }
}
