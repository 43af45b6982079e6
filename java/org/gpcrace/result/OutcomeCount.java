package org.gpcrace.result;

/** How many rounds showed an outcome (a round may carry several outcomes). */
public record OutcomeCount(String id, long count, Grade grade, String description) {}
