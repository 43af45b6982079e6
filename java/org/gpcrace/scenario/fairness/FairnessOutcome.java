package org.gpcrace.scenario.fairness;

import org.gpcrace.result.Grade;

/** One memslot update's wait, judged against the bound. */
public enum FairnessOutcome {
    PROMPT("prompt", Grade.ACCEPTABLE, "the update waited at most the bound (--bound-ms)"),
    STARVED("starved", Grade.ACCEPTABLE_INTERESTING,
            "the update waited longer than the bound, or gave up at the wait limit: invalidations kept it out");

    private final String id;
    private final Grade grade;
    private final String description;

    FairnessOutcome(String id, Grade grade, String description) {
        this.id = id;
        this.grade = grade;
        this.description = description;
    }

    public String id() { return id; }
    public Grade grade() { return grade; }
    public String description() { return description; }
}
