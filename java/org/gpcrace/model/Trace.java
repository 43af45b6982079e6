package org.gpcrace.model;

import java.util.List;

/**
 * An interleaving: which initial state it starts from (index, and what sets it apart), then the
 * steps in order, each with what it changed.
 */
public record Trace(int initial, String start, List<Step> steps) {

    /** One atomic step: who took it, its name, and the fields it changed ("valid: true -> false"). */
    public record Step(String actor, String step, List<String> changes) {}

    public int length() { return steps.size(); }
}
