package org.gpcrace.scenario.kvm;

import org.gpcrace.bridge.NativeBridge;

/** Runs the vCPU actor's loop on its own pinned thread, so the orchestrator can watch it. */
final class VcpuActor extends Actor {
    private final PvclockVcpu vcpu;
    private final long maxRuns;
    private final long startNanos;
    private final java.util.function.BooleanSupplier extend;

    VcpuActor(NativeBridge bridge, int cpu, PvclockVcpu vcpu, long maxRuns, java.util.function.BooleanSupplier extend, long startNanos) {
        super("vcpu", bridge, cpu);
        this.vcpu = vcpu;
        this.maxRuns = maxRuns;
        this.startNanos = startNanos;
        this.extend = extend;
    }

    @Override protected void body() { vcpu.loop(maxRuns, extend, () -> !stopping(), startNanos); }
}
