package org.gpcrace.protocol;

import org.gpcrace.protocol.Protocol;

/**
 * How the cache hears of an invalidation: hooks the invalidator calls around the kernel
 * operation (the MMU notifier's start/end), or a userfaultfd monitor that receives
 * UFFD_EVENT_REMOVE while the madvise waits for it (the uffd-* protocols).
 */
public enum Notifier implements org.gpcrace.util.HasId {
    HOOKS("hooks", 0), UFFD("uffd", 1);

    private final String id;
    private final int code;

    Notifier(String id, int code) { this.id = id; this.code = code; }

    @Override public String id() { return id; }

    /** GPCRACE_NOTIFIER_* */
    public int code() { return code; }

    /** The notifier a protocol uses. */
    public static Notifier of(Protocol p) { return p.usesUffd() ? UFFD : HOOKS; }

    public static Notifier byId(String id) { return org.gpcrace.util.Ids.byId(Notifier.class, id, "--notifier"); }
}
