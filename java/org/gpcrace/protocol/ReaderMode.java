package org.gpcrace.protocol;

/**
 * How readers use the cache: host (each access under the protocol's read side, as KVM's own
 * accesses through khva) or guest (the CPU uses the frame in guest mode with no lock, after a
 * check before entry; an invalidation kicks it out with a signal, as KVM_REQ_OUTSIDE_GUEST_MODE
 * with an IPI, and waits for it to leave, KVM_REQUEST_WAIT: the mode the PREEMPT_RT thread,
 * June 2026, is "looking at reintroducing").
 */
public enum ReaderMode implements org.gpcrace.util.HasId {
    HOST("host", 0), GUEST("guest", 1);

    private final String id;
    private final int code;

    ReaderMode(String id, int code) { this.id = id; this.code = code; }

    @Override public String id() { return id; }

    /** GPCRACE_READER_* */
    public int code() { return code; }

    public static ReaderMode byId(String id) { return org.gpcrace.util.Ids.byId(ReaderMode.class, id, "--reader-mode"); }
}
