package org.gpcrace.sys;

/**
 * One change a run made to the host (a sysfs knob, a tracing event, a cgroup, a swap file),
 * journaled before it was made. {@link #close()} undoes it and drops it from the journal; a
 * change still open when the process ends is undone by the shutdown hook, or, after a killed
 * run, by the next gpcrace start (or `gpcrace doctor --restore`).
 */
public interface HostChange extends AutoCloseable {
    /** One line: what was changed and how it is undone. */
    String describe();

    /** Undoes the change (idempotent); a failure is reported on stderr, not thrown. */
    @Override void close();
}
