package org.gpcrace.measure;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.harness.Test;
import org.gpcrace.harness.TestContext;
import org.gpcrace.sys.HostFacts;

/**
 * One latency probe as a test of the runner; it reports one result per source, backing or point
 * set. {@code crossChecks}: the independent instruments asked for (--cross-check trace).
 */
public record ProbeTest(LatencyProbe probe, NativeBridge bridge, ProbeClock clock, LatencyOptions options, HostFacts host,
        java.util.Set<String> crossChecks) implements Test {
    public ProbeTest(LatencyProbe probe, NativeBridge bridge, ProbeClock clock, LatencyOptions options, HostFacts host) {
        this(probe, bridge, clock, options, host, java.util.Set.of());
    }

    @Override public String name() { return "latency-" + probe.id(); }

    @Override public String scenario() { return "latency"; }

    @Override public void run(TestContext ctx) throws Exception {
        probe.run(new ProbeContext(bridge, clock, options, host, ctx).crossChecks(crossChecks));
    }
}
