package org.gpcrace.scenario.gpc;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.harness.Test;
import org.gpcrace.harness.TestContext;

/** One `gpc` configuration as a test of the runner. */
public record GpcTest(GpcConfig config, NativeBridge bridge) implements Test {
    @Override public String name() { return config.testName(); }

    @Override public String scenario() { return "gpc"; }

    @Override public double plannedSeconds() { return config.rounds() > 0 ? 0 : config.duration().toMillis() / 1000.0 + 0.1; }

    @Override public void run(TestContext ctx) {
        ctx.report(org.gpcrace.measure.RaceEvidence.around(bridge, () -> GpcRun.run(config, bridge, ctx.stop(), n -> ctx.progress(n, "rounds"))));
    }
}
