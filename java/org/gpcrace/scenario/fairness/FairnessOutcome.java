package org.gpcrace.scenario.fairness;

import org.gpcrace.result.DeclaredOutcome;
import org.gpcrace.result.Grade;
import org.gpcrace.result.OutcomeSpec;

/** One memslot update's wait, judged against the bound. */
public enum FairnessOutcome implements DeclaredOutcome {
    PROMPT("prompt", Grade.ACCEPTABLE, "the update waited at most the bound (--bound-ms)"),
    STARVED("starved", Grade.ACCEPTABLE_INTERESTING,
            "the update waited longer than the bound, or gave up at the wait limit: invalidations kept it out");

    private final OutcomeSpec spec;

    FairnessOutcome(String id, Grade grade, String description) {
        this.spec = new OutcomeSpec(id, grade, description);
    }

    @Override public OutcomeSpec spec() { return spec; }
}
