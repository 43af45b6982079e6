package org.gpcrace.model;

import java.util.List;

/** An interleaving: the steps from the initial state, in order, each with what it changed. */
public record Trace(List<Step> steps) {

    /** One atomic step: who took it, its name, and the fields it changed ("valid: true -> false"). */
    public record Step(String actor, String step, List<String> changes) {}

    public int length() { return steps.size(); }
}
