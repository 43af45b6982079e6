package org.gpcrace.scenario.pin;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.harness.Test;
import org.gpcrace.harness.TestContext;

/** pin as a test of the runner: one result per reference kind and move, then mlock + DONTNEED. */
public record PinTest(long trials, NativeBridge bridge) implements Test {
    @Override public String name() { return "pin"; }

    @Override public String scenario() { return PinScenario.SCENARIO; }

    @Override public void run(TestContext ctx) {
        new PinScenario(bridge, trials, ctx.stop()).run(ctx::report);
    }
}
