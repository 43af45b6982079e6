package org.gpcrace.scenario.fairness;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.harness.Test;
import org.gpcrace.harness.TestContext;

/** memslot-fairness as a test of the runner: one result per variant and duty, the real kernel's, then the sweep. */
public record FairnessTest(FairnessConfig config, NativeBridge bridge) implements Test {
    @Override public String name() { return FairnessScenario.SCENARIO; }

    @Override public String scenario() { return FairnessScenario.SCENARIO; }

    @Override public double plannedSeconds() { return config.duties().size() * 2 * config.budgetNs() / 1e9; }

    @Override public void run(TestContext ctx) throws InterruptedException {
        new FairnessScenario(bridge, config, ctx.stop()).run(ctx::report);
    }
}
