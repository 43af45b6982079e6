package org.gpcrace.scenario.pin;

import org.gpcrace.result.DeclaredOutcome;
import org.gpcrace.result.Grade;
import org.gpcrace.result.OutcomeSpec;

/** What a long-term reference showed after the mapping moved on. */
public enum PinOutcome implements DeclaredOutcome {
    STALE_PIN("stale-pin", Grade.ACCEPTABLE_INTERESTING,
            "the reference still sees the old frame after the mapping moved on: expected every time, and why the GPC does not pin"),
    FOLLOWS_MAPPING("follows-mapping", Grade.FORBIDDEN,
            "the reference shows what was written through the new mapping: the kernel did not keep the old frame"),
    OTHER_CONTENT("other-content", Grade.FORBIDDEN,
            "the reference shows neither the old nor the new content"),
    REFUSED("refused", Grade.ACCEPTABLE,
            "MADV_DONTNEED of an mlock'd page refused with EINVAL: a locked page cannot be zapped"),
    ZAPPED_WHILE_LOCKED("zapped-while-locked", Grade.FORBIDDEN,
            "MADV_DONTNEED of an mlock'd page succeeded");

    private final OutcomeSpec spec;

    PinOutcome(String id, Grade grade, String description) {
        this.spec = new OutcomeSpec(id, grade, description);
    }

    @Override public OutcomeSpec spec() { return spec; }
}
