package org.gpcrace.scenario.faultreader;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.harness.Test;
import org.gpcrace.harness.TestContext;
import org.gpcrace.protocol.faultreader.FaultReaderOutcome;
import org.gpcrace.protocol.faultreader.FaultReaderVariant;
import org.gpcrace.result.FaultReaderExtra;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.TestResult;

/**
 * fault-in-reader, one variant: readers in an RCU read-side section fault on pages a migrator
 * moves (the rcu list thread on page faults inside RCU read-side critical sections during kernel
 * page migration, January 2025). One result per variant, counted in migrations (one batch of pages each), graded by
 * the variant's expectation.
 */
public record FaultReaderTest(FaultReaderConfig config, FaultReaderVariant variant, NativeBridge bridge) implements Test {
    static final String CLOCK = "CLOCK_MONOTONIC";

    @Override public String name() { return variant.testName(); }

    @Override public String scenario() { return FaultReaderVariant.SCENARIO; }

    @Override public double plannedSeconds() {
        double limit = config.durationNs() > 0 ? config.durationNs() / 1e9 : 5;
        return config.detect() ? Math.min(limit, 5) : Math.min(limit, config.batches() * config.hangNs() / 1e9);
    }

    @Override public void run(TestContext ctx) throws InterruptedException {
        FaultReaderRun.Result r = FaultReaderRun.run(bridge, config, variant, ctx.stop());
        ctx.report(result(r));
    }

    TestResult result(FaultReaderRun.Result r) {
        TestResult.Builder b = TestResult.builder(name(), scenario(), config.asMap(variant)).expectation(variant.expectation())
                .unit("migrations").rounds(r.batches(), r.seconds()).interrupted(r.interrupted());
        FaultReaderOutcome[] order = {FaultReaderOutcome.MIGRATED, FaultReaderOutcome.STALL, FaultReaderOutcome.DEADLOCK,
                FaultReaderOutcome.HANG, FaultReaderOutcome.CORRUPT};
        for (int k = 0; k < order.length; k++) b.outcome(order[k], r.outcomeCounts()[k]);
        b.forbiddenRounds(r.batches() - r.outcomeCounts()[0]);
        if (r.firstDeadlockBatch() > 0) {
            b.firstForbidden(new TestResult.FirstForbidden(FaultReaderOutcome.DEADLOCK.id(), r.firstDeadlockBatch(), r.firstDeadlockMs()));
        }
        latency(b, r, FaultReaderRun.S_GP, "grace period (global domain)");
        latency(b, r, FaultReaderRun.S_DOMAIN_GP, "grace period (separate domain)");
        latency(b, r, FaultReaderRun.S_FAULT, "fault wait");
        latency(b, r, FaultReaderRun.S_DETECT, "cycle closed to detected");
        latency(b, r, FaultReaderRun.S_BREAK, "cycle broken to grace period end");
        double secs = Math.max(r.seconds(), 1e-9);
        b.figure("pagesMigratedPerSecond", r.pagesMoved() / secs, "pages/s");
        b.figure("batchesPerSecond", r.batches() / secs, "batches/s");
        b.figure("readSectionsPerSecond", r.sections() / secs, "sections/s");
        b.figure("gracePeriodMaxMs", r.series()[FaultReaderRun.S_GP].getMaxValue() / 1e6, "ms");
        if (r.seriesCounts()[FaultReaderRun.S_FAULT] > 0) b.figure("faultWaitP50Us", p(r, FaultReaderRun.S_FAULT, 50) / 1e3, "us");
        if (r.seriesCounts()[FaultReaderRun.S_DETECT] > 0) {
            b.figure("detectP50Us", p(r, FaultReaderRun.S_DETECT, 50) / 1e3, "us");
            b.figure("breakP50Us", p(r, FaultReaderRun.S_BREAK, 50) / 1e3, "us");
        }
        b.note(String.format(Locale.ROOT, "%s; unmap by %s; %d pages moved, %d read-side sections; the kernel reported %d faults,"
                + " %d SIGBUS deliveries, %d sections left to wait outside and retried", r.rcuImpl(), r.unmap(), r.pagesMoved(),
                r.sections(), r.uffdFaults(), r.sigbus(), r.retries()));
        if (r.cycle() != null) b.note("wait cycle (first, batch " + r.firstDeadlockBatch() + "): " + r.cycle());
        if (!config.detect()) b.note("the cycle detector was off (--no-detector): only the hang limit ("
                + config.hangNs() / 1e6 + " ms) ends a stuck grace period");
        Map<String, Integer> cpus = new LinkedHashMap<>();
        cpus.put("migrator", config.migratorCpu());
        for (int i = 0; i < config.readers(); i++) cpus.put("reader" + i, config.readerCpu(i));
        cpus.put("watchdog", config.watchdogCpu());
        b.extra(new FaultReaderExtra(variant.description(), r.rcuImpl(), r.unmap(), config.detect(), r.pagesMoved(), r.sections(),
                r.uffdFaults(), r.sigbus(), r.retries(), r.corruptReads(), r.cycle(), r.firstDeadlockBatch(), r.firstDeadlockMs(), cpus));
        return b.build();
    }

    private static double p(FaultReaderRun.Result r, int s, double pct) { return r.series()[s].getValueAtPercentile(pct); }

    private static void latency(TestResult.Builder b, FaultReaderRun.Result r, int s, String metric) {
        Histogram h = r.series()[s];
        if (h.getTotalCount() > 0) b.latency(LatencySummary.of(metric, CLOCK, h));
    }
}
