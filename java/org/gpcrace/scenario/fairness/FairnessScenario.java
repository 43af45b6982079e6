package org.gpcrace.scenario.fairness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.TestResult;
import org.gpcrace.scenario.kvm.ClockUpdate;
import org.gpcrace.scenario.kvm.Histograms;
import org.gpcrace.scenario.kvm.PvclockConfig;
import org.gpcrace.scenario.kvm.PvclockScenario;
import org.gpcrace.scenario.kvm.PvclockSource;

/**
 * memslot-fairness (DESIGN.md 4.3): seed 003's memslot-update wait, modelled.
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
                    t = new TestResult(testName(v, duty), SCENARIO, params(v, duty), "failed", null, String.valueOf(e.getMessage()),
                            0, 0, 0, List.of(), null, List.of(), Map.of());
                }
                out.add(t);
                onTest.accept(t);
            }
        }
        if (c.kernelPairs() > 0 && !stopRequested.getAsBoolean()) {
            // stream: back-to-back DONTNEED of the pvclock page plus the storm (stormRuns 1 only turns it on)
            PvclockConfig pc = new PvclockConfig(1, PvclockSource.DONTNEED, ClockUpdate.KVMCLOCK_CTRL, 0, 0, 1, 16, true,
                    10_000_000, 10_000_000_000L, c.kernelPairs(), 0, 1, c.cpus().get(0), c.invalidatorCpu(0), false);
            TestResult k = new PvclockScenario(bridge, pc, stopRequested).runMemslotOnly();
            // its own name: a suite also runs kvm-pvclock's memslot test, and names are unique in results.json
            kernel = new TestResult(KERNEL, k.scenario(), k.params(), k.status(), k.skip(), k.error(), k.rounds(), k.durationSeconds(),
                    k.roundsPerSecond(), k.outcomes(), k.firstForbidden(), k.latencies(), k.extra());
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
        // three series over the duty cycle (the HTML report draws each): waits in ns, starved updates, achieved duty
        Map<Double, Map<String, Object>> waits = new LinkedHashMap<>(), starved = new LinkedHashMap<>(), achieved = new LinkedHashMap<>();
        long updates = 0;
        double secs = 0;
        for (FairnessPoint.Result r : points) {
            String v = r.variant() == FairnessVariant.UNFAIR_COUNT ? "unfair" : "fair";
            row(waits, r.duty()).put(v + "P50Ns", r.waits().getValueAtPercentile(50));
            row(waits, r.duty()).put(v + "P99Ns", r.waits().getValueAtPercentile(99));
            row(starved, r.duty()).put(v + "Starved", r.starved());
            row(achieved, r.duty()).put(v + "AchievedDuty", r.achievedDuty());
            updates += r.updates();
            secs += r.seconds();
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("sweep", new ArrayList<>(waits.values()));
        extra.put("sweepStarved", new ArrayList<>(starved.values()));
        extra.put("sweepAchievedDuty", new ArrayList<>(achieved.values()));
        extra.put("notes", sweepTable());
        return new TestResult(SWEEP, SCENARIO, c.asMap(), "ran", null, null, updates, secs, secs > 0 ? updates / secs : 0, List.of(),
                null, List.of(), extra);
    }

    private static Map<String, Object> row(Map<Double, Map<String, Object>> rows, double duty) {
        return rows.computeIfAbsent(duty, d -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("duty", d);
            return m;
        });
    }

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
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("censored", r.censored());
        extra.put("invalidations", r.sections());
        extra.put("achievedDuty", r.achievedDuty());
        if (r.interrupted()) extra.put("interrupted", true);
        extra.put("notes", List.of(String.format(Locale.ROOT, "%d invalidations by %d invalidator(s), achieved duty %.2f of %.2f asked;"
                + " %d waits gave up at the %.1f ms limit (recorded at their length)", r.sections(), r.duty() == 0 ? 0 : c.invalidators(),
                r.achievedDuty(), r.duty(), r.censored(), c.waitLimitNs() / 1e6)));
        return new TestResult(testName(r.variant(), r.duty()), SCENARIO, params(r.variant(), r.duty()), "ran", null, null, r.updates(),
                r.seconds(), r.seconds() > 0 ? r.updates() / r.seconds() : 0, outcomes, null,
                List.of(LatencySummary.of("updater wait (" + r.variant().id() + ")", Histograms.CLOCK, r.waits())), extra);
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
