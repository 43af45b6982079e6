package org.gpcrace.result;

import java.util.Map;

/** Transitional: a scenario's block not yet typed. Each scenario replaces it with its own record. */
public record UntypedExtra(Map<String, Object> values) implements TestExtra {}
