package org.gpcrace.scenario.kvm;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.harness.Test;
import org.gpcrace.harness.TestContext;

/** kvm-pvclock as a test of the runner: it reports the race test, then the storm and memslot tests it was asked for. */
public record PvclockTest(PvclockConfig config, NativeBridge bridge) implements Test {
    @Override public String name() { return PvclockScenario.MAIN; }

    @Override public String scenario() { return PvclockScenario.SCENARIO; }

    @Override public void run(TestContext ctx) throws InterruptedException {
        new PvclockScenario(bridge, config, ctx.stop()).run(ctx::report);
    }
}
