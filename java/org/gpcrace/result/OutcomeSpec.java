package org.gpcrace.result;

/** A declared outcome of a test: its id, its grade and the sentence that explains it. */
public record OutcomeSpec(String id, Grade grade, String description) {}
