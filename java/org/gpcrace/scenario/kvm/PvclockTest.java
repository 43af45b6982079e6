package org.gpcrace.scenario.kvm;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.harness.Test;
import org.gpcrace.harness.TestContext;

/** kvm-pvclock as a test of the runner: one result per source, then the storm, memslot-updates, vCPUs and kick tests it was asked for. */
public record PvclockTest(PvclockConfig config, NativeBridge bridge) implements Test {
    @Override public String name() { return new PvclockScenario(bridge, config, () -> false).planned().getFirst(); }

    /** About 1.5 s per source test (race, sequential, trace), more for the storm; a guess for the ETA. */
    @Override public double plannedSeconds() {
        return new PvclockScenario(bridge, config, () -> false).planned().size() * (1.0 + config.runs() / 4000.0);
    }

    @Override public String scenario() { return PvclockScenario.SCENARIO; }

    @Override public void run(TestContext ctx) throws InterruptedException {
        new PvclockScenario(bridge, config, ctx.stop()).run(ctx::report);
    }
}
