package org.gpcrace.model;

import java.util.function.Consumer;
import org.gpcrace.harness.Test;
import org.gpcrace.harness.TestContext;

/**
 * One configuration explored as a test of the runner: `gpcrace model` runs a list of them;
 * {@code sink} (may be null) hears each exploration, for the reachability report.
 */
public record ModelTest(GpcModelConfig config, int maxStates, boolean symmetry, Consumer<GpcModelRun> sink) implements Test {
    public ModelTest(GpcModelConfig config, int maxStates) { this(config, maxStates, true, null); }

    @Override public String name() { return config.testName(); }

    @Override public String scenario() { return "gpc"; }

    @Override public void run(TestContext ctx) {
        GpcModelRun r = GpcModelRun.explore(config, maxStates, symmetry);
        if (sink != null) sink.accept(r);
        ctx.report(r.toTestResult());
    }
}
