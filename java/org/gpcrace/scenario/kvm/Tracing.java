package org.gpcrace.scenario.kvm;

import org.gpcrace.bridge.CapabilityMissingException;
import org.gpcrace.sys.kvm.KvmTrace;

/**
 * A test's kernel-side recording: a {@link KvmTrace} instance with the pvclock events when tracefs
 * can be used, or nothing and the reason (with its fix) when it cannot or was not asked for.
 * Missing tracing never fails a test: the evidence block says "skipped" with the note.
 */
final class Tracing implements AutoCloseable {
    /** What the recording gave: the capture, or null and why. */
    record Result(KvmTrace.Capture capture, String note) {}

    private final KvmTrace trace;
    private final String note;

    private Tracing(KvmTrace trace, String note) {
        this.trace = trace;
        this.note = note;
    }

    static Tracing open(boolean wanted, int bufferKbPerCpu) { return open(wanted, KvmTrace.PVCLOCK_EVENTS, bufferKbPerCpu); }

    static Tracing open(boolean wanted, java.util.Map<String, String> events, int bufferKbPerCpu) {
        if (!wanted) return new Tracing(null, "not asked for (--trace off, or the negative control)");
        try {
            return new Tracing(KvmTrace.open(events, bufferKbPerCpu), null);
        } catch (CapabilityMissingException e) {
            return new Tracing(null, e.reason() + "; fix: " + e.fix());
        }
    }

    boolean available() { return trace != null; }

    String note() { return note; }

    void start() { if (trace != null) trace.start(); }

    /** Sets an event's filter (before start). */
    void filter(String event, String expression) { if (trace != null) trace.filter(event, expression); }

    Result stop() { return trace == null ? new Result(null, note) : new Result(trace.stop(), null); }

    @Override public void close() { if (trace != null) trace.close(); }
}
