package org.gpcrace.scenario.fairness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.result.Expectation;
import org.gpcrace.result.FairnessExtra;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.Table;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.TestResult;
import org.gpcrace.scenario.kvm.ClockUpdate;
import org.gpcrace.scenario.kvm.Histograms;
import org.gpcrace.scenario.kvm.PvclockConfig;
import org.gpcrace.scenario.kvm.PvclockScenario;
import org.gpcrace.protocol.Source;

/**
 * memslot-fairness: the memslot-update wait of
 * the thread "KVM: Don't take mmu_lock for range invalidation unless necessary" (kvm list, April 2021), modelled.
 *
 * <pre>
 *   gpcrace run memslot-fairness [--duty 0,0.5,0.9,0.99] [--invalidators N]
 * </pre>
 *
 * For each duty cycle and each {@link FairnessVariant}: N invalidators enter and leave an
 * invalidation with that duty cycle while the updater makes memslot updates; one test per
 * point, named {@code memslot-fairness-<variant>-duty-<d>}, with the updater's wait as a
 * latency histogram and {@code starved} past the bound. The sweep table shows where the unfair
 * wait explodes. When /dev/kvm is usable, the same output ends with the real kernel's memslot
 * update latency with and without an invalidation stream ({@code kvm-pvclock-memslot}).
 */
public final class FairnessScenario {
    public static final String SCENARIO = "memslot-fairness";

    private final NativeBridge bridge;
    private final FairnessConfig c;
    private final BooleanSupplier stopRequested;
    private final List<FairnessPoint.Result> points = new ArrayList<>();
    private TestResult kernel;

    public FairnessScenario(NativeBridge bridge, FairnessConfig config, BooleanSupplier stopRequested) {
        this.bridge = bridge;
        this.c = config;
        this.stopRequested = stopRequested;
    }

    public static String testName(FairnessVariant v, double duty) {
        return String.format(Locale.ROOT, "%s-%s-duty-%.2f", SCENARIO, v.id(), duty);
    }

    public List<TestResult> run(Consumer<TestResult> onTest) throws InterruptedException {
        List<TestResult> out = new ArrayList<>();
        for (double duty : c.duties()) {
            for (FairnessVariant v : FairnessVariant.values()) {
                if (stopRequested.getAsBoolean()) return out;
                TestResult t;
                try {
                    FairnessPoint.Result r = FairnessPoint.run(bridge, c, v, duty, stopRequested);
                    points.add(r);
                    t = result(r);
                } catch (RuntimeException e) {
                    t = TestResult.failed(testName(v, duty), SCENARIO, params(v, duty), String.valueOf(e.getMessage()));
                }
                out.add(t);
                onTest.accept(t);
            }
        }
        if (c.kernelPairs() > 0 && !stopRequested.getAsBoolean()) {
            // stream: back-to-back DONTNEED of the pvclock page plus the storm (stormRuns 1 only turns it on)
            PvclockConfig pc = PvclockConfig.of(1, Source.DONTNEED, ClockUpdate.KVMCLOCK_CTRL, 0, 0, 1, 16, true,
                    10_000_000, 10_000_000_000L, c.kernelPairs(), 0, 1, c.cpus().get(0), c.invalidatorCpu(0), false);
            TestResult k = new PvclockScenario(bridge, pc, stopRequested).runMemslotOnly();
            // its own name: a suite also runs kvm-pvclock-memslot-updates, and names are unique in results.json
            kernel = k.withName(KERNEL);
            out.add(kernel);
            onTest.accept(kernel);
        }
        if (!points.isEmpty()) {
            TestResult sweep = sweepResult();
            out.add(sweep);
            onTest.accept(sweep);
        }
        return out;
    }

    /** The real kernel's memslot update latency, measured for the comparison (kvm-pvclock's memslot test). */
    public static final String KERNEL = SCENARIO + "-kernel";

    /** The name of the summary test that carries the sweep (a series for the HTML report) and the table. */
    public static final String SWEEP = SCENARIO + "-sweep";

    private TestResult sweepResult() {
        // one row per duty cycle: the waits of both variants, the starved updates, the duty the invalidators achieved
        Map<Double, double[]> rows = new java.util.TreeMap<>();
        long updates = 0;
        double secs = 0;
        for (FairnessPoint.Result r : points) {
            int o = r.variant() == FairnessVariant.UNFAIR_COUNT ? 0 : 4;
            double[] row = rows.computeIfAbsent(r.duty(), d -> new double[9]);
            row[0] = r.duty();
            row[1 + o] = r.waits().getValueAtPercentile(50);
            row[2 + o] = r.waits().getValueAtPercentile(99);
            row[3 + o] = r.starved();
            row[4 + o] = r.achievedDuty();
            updates += r.updates();
            secs += r.seconds();
        }
        List<Table.Column> cols = List.of(new Table.Column("duty", ""), new Table.Column("unfair_p50", "ns"), new Table.Column("unfair_p99", "ns"),
                new Table.Column("unfair_starved", "updates"), new Table.Column("unfair_achieved_duty", ""), new Table.Column("fair_p50", "ns"),
                new Table.Column("fair_p99", "ns"), new Table.Column("fair_starved", "updates"), new Table.Column("fair_achieved_duty", ""));
        List<List<Double>> table = rows.values().stream().map(r -> java.util.Arrays.stream(r).boxed().toList()).toList();
        return TestResult.builder(SWEEP, SCENARIO, c.asMap()).expectation(EXPECTATION).unit("updates").rounds(updates, secs)
                .table(new Table("updater wait by duty cycle", "memslot updater's wait (unfair-count = KVM's rcuwait on"
                        + " mn_active_invalidate_count; fair = a fair rwsem) against invalidators with the duty cycle asked", cols, table))
                .notes(sweepTable()).build();
    }

    /** A starved update is the unfair wait's known cost, not a bug: no outcome is FORBIDDEN here. */
    static final Expectation EXPECTATION = Expectation.safe("the updater always gets in eventually; starvation past the bound is measured");

    private Map<String, Object> params(FairnessVariant v, double duty) {
        Map<String, Object> m = c.asMap();
        m.put("variant", v.id());
        m.put("duty", duty);
        return m;
    }

    private TestResult result(FairnessPoint.Result r) {
        List<OutcomeCount> outcomes = List.of(
                new OutcomeCount(FairnessOutcome.PROMPT.id(), r.updates() - r.starved(), FairnessOutcome.PROMPT.grade(),
                        FairnessOutcome.PROMPT.description()),
                new OutcomeCount(FairnessOutcome.STARVED.id(), r.starved(), FairnessOutcome.STARVED.grade(),
                        FairnessOutcome.STARVED.description()));
        return TestResult.builder(testName(r.variant(), r.duty()), SCENARIO, params(r.variant(), r.duty())).expectation(EXPECTATION)
                .unit("updates").rounds(r.updates(), r.seconds()).outcomes(outcomes)
                .latency(LatencySummary.of("updater wait (" + r.variant().id() + ")", Histograms.CLOCK, r.waits()))
                .note(String.format(Locale.ROOT, "%d invalidations by %d invalidator(s), achieved duty %.2f of %.2f asked;"
                        + " %d waits gave up at the %.1f ms limit (recorded at their length)", r.sections(), r.duty() == 0 ? 0 : c.invalidators(),
                        r.achievedDuty(), r.duty(), r.censored(), c.waitLimitNs() / 1e6))
                .interrupted(r.interrupted()).extra(new FairnessExtra(r.censored(), r.sections(), r.achievedDuty())).build();
    }

    /** The sweep: per duty cycle, each variant's wait p50/p99/max and starved count; then the real kernel. */
    public List<String> sweepTable() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-32s %10s %10s %12s  %-9s %s", "DUTY  VARIANT", "p50 ns", "p99 ns", "max ns", "starved", "achieved duty"));
        for (FairnessPoint.Result r : points) {
            lines.add(String.format(Locale.ROOT, "%-32s %10d %10d %12d  %-9s %.2f", String.format(Locale.ROOT, "%.2f  %s", r.duty(), r.variant().id()),
                    r.waits().getValueAtPercentile(50), r.waits().getValueAtPercentile(99), r.waits().getMaxValue(),
                    r.starved() + "/" + r.updates(), r.achievedDuty()));
        }
        if (kernel != null) {
            if (!kernel.ran()) {
                lines.add("real kernel (kvm-pvclock --memslot-updates): " + (kernel.skip() != null ? kernel.skip().line() : "FAILED: " + kernel.error()));
            } else {
                for (LatencySummary l : kernel.latencies()) {
                    lines.add(String.format("%-32s %10d %10d %12d  (real kernel, KVM_SET_USER_MEMORY_REGION)", "kernel " + l.metric(),
                            l.p50(), l.p99(), l.max()));
                }
            }
        }
        return lines;
    }
}
