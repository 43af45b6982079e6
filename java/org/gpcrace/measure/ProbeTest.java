package org.gpcrace.measure;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.harness.Test;
import org.gpcrace.harness.TestContext;
import org.gpcrace.sys.HostFacts;

/** One latency probe as a test of the runner; it reports one result per source, backing or point set. */
public record ProbeTest(LatencyProbe probe, NativeBridge bridge, ProbeClock clock, LatencyOptions options, HostFacts host) implements Test {
    @Override public String name() { return "latency-" + probe.id(); }

    @Override public String scenario() { return "latency"; }

    @Override public void run(TestContext ctx) throws Exception {
        probe.run(new ProbeContext(bridge, clock, options, host, ctx));
    }
}
