package org.gpcrace.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.bridge.ProbeNative;

/**
 * `futex`: wake-to-run latency between two pinned threads, the apparatus' own calibration
 * (the race engine's actors sleep and wake the same way). The waiter gets {@link #SETTLE_NS}
 * to fall asleep; an iteration where it had not is repeated and counted.
 */
public final class FutexProbe implements LatencyProbe {
    static final long SETTLE_NS = 50_000;

    @Override public String id() { return "futex"; }

    @Override public String description() {
        return "FUTEX_WAKE to the woken thread running on another CPU (apparatus calibration)";
    }

    @Override public void run(ProbeContext ctx) throws Exception {
        String name = "latency-futex";
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("operation", "FUTEX_WAKE_PRIVATE of a waiter asleep in FUTEX_WAIT_PRIVATE on another CPU");
        own.put("settleNs", SETTLE_NS);
        var skip = ctx.needHelperCpus(1, "the waiter sleeps on another CPU").or(() -> ctx.needTsc("wake-to-run compares stamps of two CPUs"));
        if (skip.isPresent()) {
            ctx.skip(name, ctx.params(own), skip.get());
            return;
        }
        int h = ctx.options().helperCpus().get(0);
        own.put("waiterCpu", h);
        IntervalLog log = ctx.newLog(id());
        TestBuilder t = ctx.test(name, own);
        long[] retries = {0};
        try (NativeRun run = new NativeRun(ctx.bridge(), ProbeNative.FUTEX, ctx.budget().bufferCapacity())) {
            run.cpu(ctx.options().measuringCpu()).helpers(List.of(h)).delayNs(SETTLE_NS);
            Recorder r = new Recorder(List.of("wake-to-run", "FUTEX_WAKE call"), log);
            t.add(r, ctx.clock().label(), ProbeLoop.run(ctx.budget(), run.buffer(), run, (b, n) -> retries[0] += run.anomalies(), r));
        }
        t.figure("notAsleepRetries", retries[0], "iterations");
        t.note("waker on cpu" + ctx.options().measuringCpu() + ", waiter on cpu" + h + "; iterations repeated because the"
                + " waiter was not asleep yet: " + retries[0]);
        ctx.saveLog(id(), log).forEach(f -> t.file(ctx.relative(f)));
        ctx.emit(t.build());
    }
}
