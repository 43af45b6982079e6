package org.gpcrace.scenario.pressure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.harness.Test;
import org.gpcrace.harness.TestContext;
import org.gpcrace.protocol.GpcOutcome;
import org.gpcrace.protocol.NonblockPolicy;
import org.gpcrace.protocol.Oracle;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.PressureExtra;
import org.gpcrace.result.Table;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.MemoryCgroup;

/**
 * gpc-pressure, one protocol: the OOM reaper's forward progress when the cache's readers wait
 * for memory (the PREEMPT_RT / GPC thread, May 2026), under each non-blockable policy in turn
 * (sleep, spin, eagain, then defer: the proposal of the KVM list thread of March 2026 on
 * deferring the non-blockable invalidation, which Sean Christopherson NAKed). One result per
 * policy, counted in rounds, graded by the configuration's expectation under memory pressure;
 * the last one carries the table of every policy run (stale rounds, time-to-free, memory
 * released per second of reaping).
 */
public record PressureTest(PressureConfig config, Protocol protocol, NativeBridge bridge) implements Test {
    public static final String SCENARIO = "gpc-pressure";
    static final String CLOCK = "CLOCK_MONOTONIC";
    private static final long HIGHEST_NS = 3_600_000_000_000L;

    @Override public String name() { return testName(config.policiesFor(protocol).getFirst()); }

    String testName(NonblockPolicy policy) { return "gpc-pressure-" + config.variant(protocol, policy).testName().substring(4); }

    @Override public String scenario() { return SCENARIO; }

    @Override public double plannedSeconds() {
        return config.policiesFor(protocol).size() * config.rounds() * (config.stallNs() / 1e9 + 0.01);
    }

    @Override public void run(TestContext ctx) throws InterruptedException {
        List<Row> rows = new ArrayList<>();
        String name = "gpcrace-pressure-" + ProcessHandle.current().pid() + "-" + protocol.id();
        try (MemoryCgroup cg = MemoryCgroup.create(name)) {
            for (NonblockPolicy policy : config.policiesFor(protocol)) {
                if (ctx.stopRequested()) break;
                PressureRun.Result r = PressureRun.run(bridge, config, protocol, policy, cg, ctx.stop());
                ctx.progress(r.rounds().size(), "rounds");
                Row row = Row.of(policy, r, config.victimBytes());
                rows.add(row);
                boolean last = policy == config.policiesFor(protocol).getLast() || ctx.stopRequested();
                ctx.report(result(policy, r, row, cg, last && rows.size() > 1 ? List.copyOf(rows) : List.of()));
            }
        }
    }

    /** One policy's figures, for its result and the table. */
    record Row(NonblockPolicy policy, long rounds, long pressure, long staleRounds, long stale, long stalls, long gaveUp,
            Histogram free, Histogram reaperWait, Histogram defer, long freedBytes, long cgroupReleased, double reapingSeconds) {
        static Row of(NonblockPolicy policy, PressureRun.Result r, long victimBytes) {
            Histogram free = new Histogram(HIGHEST_NS, 3), wait = new Histogram(HIGHEST_NS, 3), defer = new Histogram(HIGHEST_NS, 3);
            long pressure = 0, staleRounds = 0, stale = 0, stalls = 0, gaveUp = 0, freed = 0, released = 0, reapingNs = 0;
            for (PressureRun.Round x : r.rounds()) {
                if (x.has(PressureRun.WAITED)) pressure++;
                if (x.stale() > 0) staleRounds++;
                stale += x.stale();
                if (x.has(PressureRun.STALL)) stalls++;
                if (x.has(PressureRun.GAVE_UP)) gaveUp++;
                wait.recordValue(Math.min(HIGHEST_NS, x.waitNs()));
                if (x.freeNs() > 0) {
                    free.recordValue(Math.min(HIGHEST_NS, x.freeNs()));
                    freed += victimBytes;
                    released += x.releasedBytes();
                    reapingNs += x.freeNs();
                } else {
                    reapingNs += x.waitNs();
                }
                if (x.deferNs() > 0) defer.recordValue(Math.min(HIGHEST_NS, x.deferNs()));
            }
            return new Row(policy, r.rounds().size(), pressure, staleRounds, stale, stalls, gaveUp, free, wait, defer, freed, released,
                    reapingNs / 1e9);
        }

        double freeMs(double pct) { return free.getTotalCount() == 0 ? -1 : free.getValueAtPercentile(pct) / 1e6; }

        double releasedMiBPerSecond() { return reapingSeconds <= 0 ? 0 : freedBytes / (1024.0 * 1024.0) / reapingSeconds; }
    }

    TestResult result(NonblockPolicy policy, PressureRun.Result r, Row row, MemoryCgroup cg, List<Row> table) {
        TestResult.Builder b = TestResult.builder(testName(policy), scenario(), config.asMap(protocol, policy))
                .expectation(config.variant(protocol, policy).underMemoryPressure())
                .unit("rounds").rounds(r.rounds().size(), r.seconds()).interrupted(r.interrupted());
        Map<GpcOutcome, Long> counts = new LinkedHashMap<>();
        for (GpcOutcome o : List.of(GpcOutcome.CLEAN, GpcOutcome.REAP_STALL, GpcOutcome.WOULD_SLEEP, GpcOutcome.EAGAIN,
                GpcOutcome.STALE_LOST, GpcOutcome.HARNESS_INCONSISTENCY)) counts.put(o, 0L);
        long forbidden = 0;
        TestResult.FirstForbidden first = null;
        double elapsedMs = 0;
        for (PressureRun.Round x : r.rounds()) {
            Oracle.RoundVerdict v = Oracle.classify(oracleRound(x));
            boolean bad = false;
            for (GpcOutcome o : v.outcomes) {
                counts.merge(o, 1L, Long::sum);
                bad |= o.grade() == org.gpcrace.result.Grade.FORBIDDEN;
            }
            elapsedMs += Math.max(x.freeNs(), x.waitNs()) / 1e6;
            if (bad) {
                forbidden++;
                if (first == null) {
                    GpcOutcome o = v.outcomes.stream().filter(y -> y.grade() == org.gpcrace.result.Grade.FORBIDDEN).findFirst().orElseThrow();
                    first = new TestResult.FirstForbidden(o.id(), x.round(), elapsedMs);
                }
            }
        }
        counts.forEach(b::outcome);
        b.forbiddenRounds(forbidden);
        if (first != null) b.firstForbidden(first);
        if (row.free().getTotalCount() > 0) b.latency(LatencySummary.of("time to free (reaper start to the zap's return)", CLOCK, row.free()));
        if (row.reaperWait().getTotalCount() > 0) b.latency(LatencySummary.of("reaper's notifier start (all attempts)", CLOCK, row.reaperWait()));
        if (row.defer().getTotalCount() > 0) b.latency(LatencySummary.of("deferral to the worker's completion", CLOCK, row.defer()));
        b.figure("pressureRounds", row.pressure(), "rounds");
        b.figure("reapStalls", row.stalls(), "rounds");
        b.figure("staleRounds", row.staleRounds(), "rounds");
        b.figure("staleAccesses", row.stale(), "accesses");
        b.figure("gaveUpRounds", row.gaveUp(), "rounds");
        if (row.free().getTotalCount() > 0) {
            b.figure("timeToFreeP50Ms", row.freeMs(50), "ms");
            b.figure("timeToFreeP99Ms", row.freeMs(99), "ms");
        }
        b.figure("releasedMiBPerSecond", row.releasedMiBPerSecond(), "MiB/s");
        b.figure("cgroupReleasedMiB", row.cgroupReleased() / (1024.0 * 1024.0), "MiB");
        long limit = r.rounds().isEmpty() ? 0 : r.rounds().getFirst().limitBytes();
        b.note(String.format(Locale.ROOT, "memory cgroup %s (%s): limit %.1f MiB = the child's usage + %.0f KiB headroom; %d readers x %d"
                + " pages per use, faulted in %s; victim %.0f MiB", cg.dir(), cg.version(), limit / 1048576.0, config.headroomBytes() / 1024.0,
                config.readers(), config.allocPages(), protocol == Protocol.SEQCOUNT_SRCU || protocol == Protocol.SEQCOUNT_SRCU_UNMAP_ONLY
                        ? "inside the SRCU read section" : "after the read side", config.victimBytes() / 1048576.0));
        b.note(String.format(Locale.ROOT, "%d of %d rounds had a reader waiting for memory when the reaper started; %d reap-stalls, %d"
                + " given up; the watchdog broke %d chains by lending memory", row.pressure(), row.rounds(), row.stalls(), row.gaveUp(),
                r.rounds().stream().filter(x -> x.has(PressureRun.BROKEN)).count()));
        b.note("stale accesses are not split by where they landed here (no new owner takes the frame over): all are counted stale-lost");
        if (r.chain() != null) b.note("wait chain (first): " + r.chain());
        if (!table.isEmpty()) {
            b.table(table(table));
            for (Row x : table) {
                b.note(String.format(Locale.ROOT, "policy %-6s %d of %d rounds stale, %d reap-stalls, %d given up, time to free %s, released %.0f MiB/s",
                        x.policy().id() + ":", x.staleRounds(), x.rounds(), x.stalls(), x.gaveUp(), x.free().getTotalCount() == 0 ? "never"
                                : String.format(Locale.ROOT, "%.2f / %.2f ms (p50 / p99)", x.freeMs(50), x.freeMs(99)), x.releasedMiBPerSecond()));
            }
        }
        Map<String, Integer> cpus = new LinkedHashMap<>();
        cpus.put("reaper", config.reaperCpu());
        for (int i = 0; i < config.readers(); i++) cpus.put("reader" + i, config.readerCpu(i));
        cpus.put("deferWorker", config.workerCpu());
        b.extra(new PressureExtra(cg.version(), cg.dir().toString(), limit, config.headroomBytes(), config.victimBytes(),
                config.allocPages(), row.pressure(), row.stalls(), r.rounds().stream().filter(x -> x.has(PressureRun.BROKEN)).count(),
                row.gaveUp(), r.rounds().stream().filter(x -> x.has(PressureRun.DEFERRED)).count(), row.freedBytes(),
                row.reapingSeconds(), r.chain(), cpus));
        return b.build();
    }

    /** The round as the shared oracle sees it: one tally of the invalidated generation, all of it after the start returned. */
    static Oracle.Round oracleRound(PressureRun.Round x) {
        boolean started = x.freeNs() > 0;
        long[] zero = new long[Oracle.GENS], tally = new long[Oracle.GENS];
        tally[0] = x.stale();
        return new Oracle.Round(1, started ? 1 : 0, 1, zero.clone(), tally, new long[1], zero.clone(), new long[1], x.wouldSleep(),
                x.has(PressureRun.EAGAIN), false, x.has(PressureRun.STALL));
    }

    /** policy x (stale rounds, time-to-free p50/p99, memory released per second of reaping). */
    static Table table(List<Row> rows) {
        List<Table.Column> cols = List.of(new Table.Column("policy", ""), new Table.Column("rounds", "rounds"),
                new Table.Column("pressureRounds", "rounds"), new Table.Column("staleRounds", "rounds"),
                new Table.Column("reapStalls", "rounds"), new Table.Column("gaveUpRounds", "rounds"),
                new Table.Column("timeToFreeP50", "ms"), new Table.Column("timeToFreeP99", "ms"),
                new Table.Column("released", "MiB/s"));
        List<List<Double>> data = new ArrayList<>();
        for (Row r : rows) {
            data.add(List.of((double) r.policy().code(), (double) r.rounds(), (double) r.pressure(), (double) r.staleRounds(),
                    (double) r.stalls(), (double) r.gaveUp(), r.freeMs(50), r.freeMs(99), r.releasedMiBPerSecond()));
        }
        return new Table("policies", "the same memory pressure under each non-blockable policy; policy: 0 sleep, 1 spin, 2 eagain,"
                + " 3 defer; time to free -1: the reaper freed nothing (every range given up); released: victim MiB the reaper freed"
                + " per second it spent reaping", cols, data);
    }
}
