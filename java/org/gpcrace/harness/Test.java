package org.gpcrace.harness;

/**
 * One unit of planned work the {@link Runner} runs: a scenario with one configuration. It reports
 * one result (most tests) or several (a latency probe reports one per source and backing) to its
 * {@link TestContext}; the runner grades, prints and writes each as it arrives.
 *
 * A test throws {@link org.gpcrace.bridge.CapabilityMissingException} when the machine cannot run
 * it (the runner records a skip with the reason and the fix) and any other exception when it
 * fails (recorded as failed; the run goes on with the next test).
 */
public interface Test {
    /** The name its (first) result carries; shown in progress and in skips. */
    String name();

    /** The scenario, as results.json names it. */
    String scenario();

    /** Seconds the test expects to take (for progress and the ETA); 0 when it cannot tell. */
    default double plannedSeconds() { return 0; }

    void run(TestContext ctx) throws Exception;
}
