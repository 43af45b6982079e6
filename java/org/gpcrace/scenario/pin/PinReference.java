package org.gpcrace.scenario.pin;

/**
 * A long-term reference to the frames behind a page: taken before the mapping moves on, read
 * after. Implementations own their kernel objects (pipe, ring) and release them in close().
 */
interface PinReference extends AutoCloseable {
    /** "vmsplice" or "io_uring". */
    String id();

    /** Takes the reference to the page at {@code page} (one page). */
    void take(long page);

    /** Copies what the referenced frame holds now into {@code buf} (one page) and drops the reference. */
    void readAndRelease(long page, long buf);

    @Override void close();
}
