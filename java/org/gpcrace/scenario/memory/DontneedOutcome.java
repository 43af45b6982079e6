package org.gpcrace.scenario.memory;

import org.gpcrace.result.DeclaredOutcome;
import org.gpcrace.result.Grade;
import org.gpcrace.result.OutcomeSpec;

/** What a page showed across MADV_DONTNEED and a touch (madvise(2): private anonymous pages refault zero-filled; shared ones keep their content). */
public enum DontneedOutcome implements DeclaredOutcome {
    ZEROED("zeroed", Grade.ACCEPTABLE, "private anonymous page: the touch after MADV_DONTNEED maps a zero-filled page"),
    CONTENT_KEPT("content-kept", Grade.ACCEPTABLE, "shared (memfd) page: the page cache keeps it, the touch maps it again"),
    UNEXPECTED_CONTENT("unexpected-content", Grade.FORBIDDEN,
            "the content after the touch is neither what madvise(2) promises for this backing: zero for anon, the old content for shmem");

    private final OutcomeSpec spec;

    DontneedOutcome(String id, Grade grade, String description) { this.spec = new OutcomeSpec(id, grade, description); }

    @Override public OutcomeSpec spec() { return spec; }
}
