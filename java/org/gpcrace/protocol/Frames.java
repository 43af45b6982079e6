package org.gpcrace.protocol;

import org.gpcrace.sys.Backing;

/**
 * What the cache's kernel mapping (khva) is and what the invalidation's operation does to the
 * frame it maps: the part of a source and a backing that decides where a stale access can land.
 * The hardware run derives it from --source and --backing; the model takes it as a knob, so
 * the two name the same configuration.
 */
public enum Frames implements org.gpcrace.util.HasId {
    ANON_NEW("anon-new", false, false, false,
            "khva is the user address (anonymous memory has no second mapping of a frame); the operation frees the frame"
                    + " and the next touch maps a new zeroed one, which is where a stale access after it lands"),
    ANON_KEPT("anon-kept", false, false, true,
            "khva is the user address; the operation keeps the frame and its content, which the harness then takes over"
                    + " as its new owner (counters reset)"),
    FILE_KEPT("file-kept", true, false, true,
            "khva is a second mapping of the memfd page; the operation keeps the page, so the refresh keeps the mapping"
                    + " (same frame) and the harness takes the page over as its new owner"),
    FILE_NEW("file-new", true, true, false,
            "khva is a second mapping of the memfd page; the operation frees the page (hole punched, MADV_REMOVE), the"
                    + " refresh maps the new one and gpc_unmap tears the old mapping down"),
    FILE_REMAP("file-remap", true, true, true,
            "khva is a second mapping of the memfd page; the operation maps another file page at the guest address, the"
                    + " old page keeps its data and is handed to a new owner; the refresh maps the new page and gpc_unmap"
                    + " tears the old mapping down");

    private final String id;
    private final boolean alias, remapped, reset;
    private final String description;

    Frames(String id, boolean alias, boolean remapped, boolean reset, String description) {
        this.id = id;
        this.alias = alias;
        this.remapped = remapped;
        this.reset = reset;
        this.description = description;
    }

    @Override public String id() { return id; }

    /** khva is a mapping of its own, which gpc_unmap tears down. */
    public boolean alias() { return alias; }

    /** Each operation gives the guest address another frame, so the refresh maps a new khva and unmaps the old. */
    public boolean remapped() { return remapped; }

    /** The harness resets the counters after the operation (the content was kept); otherwise the frame is new. */
    public boolean reset() { return reset; }

    public String description() { return description; }

    /** What --source on --backing gives (the race engine's gpcrace_gpc_source_preserves_content, and the khva kind). */
    public static Frames of(Source s, Backing b) {
        if (!b.fileBacked()) {
            return switch (s) {
                case DONTNEED, REMAP -> ANON_NEW;
                default -> ANON_KEPT;
            };
        }
        return switch (s) {
            case REMOVE, PUNCH_HOLE -> FILE_NEW;
            case REMAP -> FILE_REMAP;
            default -> FILE_KEPT;
        };
    }

    public static Frames byId(String id) { return org.gpcrace.util.Ids.byId(Frames.class, id, "--frames"); }
}
