package org.gpcrace.result;

/**
 * One memslot-fairness point's own block (kind "fairness"): what the invalidators achieved.
 *
 * @param censoredWaits updater waits that gave up at the wait limit (recorded at their length, counted starved)
 * @param invalidations invalidation sections the invalidators completed
 * @param achievedDuty  the fraction of the time at least one invalidation was active, as measured
 */
public record FairnessExtra(long censoredWaits, long invalidations, double achievedDuty) implements TestExtra {}
