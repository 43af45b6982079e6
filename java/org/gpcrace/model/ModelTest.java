package org.gpcrace.model;

import org.gpcrace.harness.Test;
import org.gpcrace.harness.TestContext;

/** One configuration explored as a test of the runner: `gpcrace model` runs a list of them. */
public record ModelTest(GpcModelConfig config, int maxStates) implements Test {
    @Override public String name() { return config.testName(); }

    @Override public String scenario() { return "gpc"; }

    @Override public void run(TestContext ctx) {
        ctx.report(GpcModelRun.explore(config, maxStates).toTestResult());
    }
}
