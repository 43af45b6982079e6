package org.gpcrace.compare;

/** judgelitmus / mcompare7 verdicts for one test and outcome, model against hardware. */
public enum Verdict {
    /** The hardware agrees with the model. */
    AGREE("="),
    /** The hardware shows what the model says Never (or misses in some round what it says Always): the model is unsound here, or the implementation differs. */
    UNEXPECTED("!!! Unexpected"),
    /** The model says Sometimes and the hardware never showed it: allowed, with the rounds run and the 95% bound on its rate. */
    FORGIVEN("Forgiven"),
    /** The test is on one side only. */
    MISSING("Missing");

    private final String label;

    Verdict(String label) { this.label = label; }

    public String label() { return label; }
}
