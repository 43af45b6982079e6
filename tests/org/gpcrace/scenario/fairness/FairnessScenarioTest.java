package org.gpcrace.scenario.fairness;

import org.gpcrace.result.FairnessExtra;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.CpuList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * memslot-fairness: with no invalidator neither updater waits (p99 below 1 ms, generous for a
 * loaded machine: the wait is a few atomic operations); at a 0.95 duty cycle the unfair-count
 * updater's p99 wait exceeds the fair-rwsem updater's by a MARGIN of at least 2x. The machine may
 * be shared, so the comparison gets three attempts; each attempt is independent evidence, and
 * the failure message lists all of them.
 */
class FairnessScenarioTest {
    static final double MARGIN = 2.0;
    static final long SHORT_NS = 1_000_000;

    static FairnessConfig config(List<Double> duties, long updates) {
        List<Integer> cpus = CpuList.allowed();
        return new FairnessConfig(1, 20_000, duties, true, updates, 50_000, 1_000_000, 20_000_000, 1_500_000_000L, cpus, 0);
    }

    static LatencySummary wait(TestResult t) { return t.latencies().get(0); }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void withoutInvalidatorsNeitherUpdaterWaits(String bridge) throws Exception {
        List<TestResult> tests = new FairnessScenario(Bridges.open(bridge), config(List.of(0.0), 200), () -> false).run(t -> { });
        assertEquals(List.of(FairnessScenario.testName(FairnessVariant.UNFAIR_COUNT, 0), FairnessScenario.testName(FairnessVariant.FAIR_RWSEM, 0),
                FairnessScenario.SWEEP), tests.stream().map(TestResult::name).toList());
        for (TestResult t : tests.subList(0, 2)) {
            assertTrue(t.ran(), t.name() + ": " + t.error());
            assertEquals(200, t.rounds());
            assertTrue(wait(t).p99() < SHORT_NS, t.name() + " p99 " + wait(t).p99() + " ns");
            assertEquals(0, t.count(FairnessOutcome.STARVED.id()), t.name());
            assertEquals(0L, ((FairnessExtra) t.extra()).invalidations(), "duty 0 runs no invalidator");
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.95})
    void atHighDutyTheUnfairWaitIsTheLongerOne(double duty) throws Exception {
        List<String> attempts = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            List<TestResult> tests = new FairnessScenario(Bridges.open("ffm"), config(List.of(duty), 200), () -> false).run(t -> { });
            TestResult unfair = tests.get(0), fair = tests.get(1);
            assertTrue(unfair.ran() && fair.ran(), unfair.error() + " / " + fair.error());
            assertTrue(((FairnessExtra) unfair.extra()).invalidations() > 0, "the invalidator did not run");
            long u = wait(unfair).p99(), f = wait(fair).p99();
            attempts.add("unfair p99 " + u + " ns vs fair p99 " + f + " ns (starved " + unfair.count("starved") + " vs " + fair.count("starved") + ")");
            if (u >= MARGIN * f) return;
        }
        fail("at duty " + duty + " the unfair-count p99 wait never reached " + MARGIN + "x the fair-rwsem p99: " + attempts);
    }
}
