package org.gpcrace.protocol.faultreader;

import org.gpcrace.result.DeclaredOutcome;
import org.gpcrace.result.Grade;
import org.gpcrace.result.OutcomeSpec;

/** What one migration batch showed (a batch may show several; the histogram counts each). */
public enum FaultReaderOutcome implements DeclaredOutcome {
    MIGRATED("migrated", Grade.ACCEPTABLE, "every page of the batch moved; every grace period ended within the bound"),
    STALL("stall", Grade.FORBIDDEN, "a grace period took longer than the bound (--stall-bound) and ended by itself"),
    DEADLOCK("deadlock", Grade.FORBIDDEN,
            "the watchdog saw the wait cycle reader -> fault -> migrator -> grace period -> reader, printed it and broke it"),
    HANG("hang", Grade.FORBIDDEN,
            "a grace period passed the hang limit with no cycle seen (the detector off or blind): broken by the hang limit"),
    CORRUPT("corrupt", Grade.FORBIDDEN, "a reader read content that is not the page's: the move lost it");

    private final OutcomeSpec spec;

    FaultReaderOutcome(String id, Grade grade, String description) { this.spec = new OutcomeSpec(id, grade, description); }

    @Override public OutcomeSpec spec() { return spec; }
}
