package org.gpcrace.model.faultreader;

import java.util.List;
import java.util.Map;
import org.gpcrace.harness.Test;
import org.gpcrace.harness.TestContext;
import org.gpcrace.protocol.faultreader.FaultReaderOutcome;
import org.gpcrace.protocol.faultreader.FaultReaderVariant;
import org.gpcrace.result.ModelExtra;
import org.gpcrace.result.Observation;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.TestResult;

/**
 * One fault-in-reader variant explored by {@link FaultReaderModel}: Never / Sometimes / Always per
 * outcome over the final states, under the hardware test's name, for `gpcrace compare`.
 */
public record FaultReaderModelTest(FaultReaderVariant variant, int readers, int pages, int sections, int maxStates) implements Test {
    public static final String SEMANTICS = "sequential consistency, every interleaving of the fault-in-reader steps";

    /** The configurations `gpcrace model` explores: every variant, 2 readers x 2 sections, 2 pages. */
    public static List<Test> all(int maxStates) {
        return java.util.Arrays.stream(FaultReaderVariant.values()).map(v -> (Test) new FaultReaderModelTest(v, 2, 2, 2, maxStates)).toList();
    }

    @Override public String name() { return variant.testName(); }

    @Override public String scenario() { return FaultReaderVariant.SCENARIO; }

    @Override public void run(TestContext ctx) {
        ctx.report(result(new FaultReaderModel(variant, readers, pages, sections).explore(maxStates)));
    }

    TestResult result(FaultReaderModel.Exploration e) {
        TestResult.Builder b = TestResult.builder(name(), scenario(), Map.of("variant", variant.id())).expectation(variant.expectation())
                .unit("final states").rounds(e.finalStates(), e.seconds()).forbiddenRounds(e.deadlocks());
        for (FaultReaderOutcome o : FaultReaderOutcome.values()) {
            long n = switch (o) {
                case MIGRATED -> e.migrated();
                case DEADLOCK -> e.deadlocks();
                default -> 0;
            };
            b.outcome(new OutcomeCount(o.id(), n, o.grade(), o.description(), Observation.of(n, e.finalStates())));
        }
        b.note(String.format(java.util.Locale.ROOT, "model: %d readers x %d read-side sections over %d pages, one migration batch;"
                + " %d states, %d transitions", readers, sections, pages, e.states(), e.transitions()));
        List<ModelExtra.Counterexample> cex = e.deadlockTrace().isEmpty() ? List.of()
                : List.of(new ModelExtra.Counterexample(FaultReaderOutcome.DEADLOCK.id(), "every page mapped, no reader inside",
                        e.deadlockTrace().stream().map(s -> new ModelExtra.Step(s[0], s[1], List.of())).toList()));
        b.extra(new ModelExtra(SEMANTICS, e.states(), e.transitions(), e.deadlocks(), e.maxDepth(), cex));
        return b.build();
    }
}
