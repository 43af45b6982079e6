package org.gpcrace.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gpcrace.protocol.GpcOutcome;
import org.gpcrace.result.Grade;
import org.gpcrace.result.ModelExtra;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.TestResult;

/**
 * Explores one configuration and turns the exploration into a results.json test: one outcome row
 * per GPC outcome with the number of final states carrying it and its Never/Sometimes/Always
 * ("rounds" are final states), and the model's figures, reached steps and shortest
 * counterexamples in {@code extra.model}.
 */
public record GpcModelRun(GpcModelConfig config, GpcModel model, Exploration exploration, boolean symmetry) {

    public static final String SEMANTICS = "sequential consistency, every interleaving of atomic steps";

    public static GpcModelRun explore(GpcModelConfig config, int maxStates) { return explore(config, maxStates, true); }

    public static GpcModelRun explore(GpcModelConfig config, int maxStates, boolean symmetry) {
        GpcModel model = new GpcModel(config);
        Exploration e;
        try {
            e = Explorer.explore(model, maxStates, GpcModelRun::anyForbidden, symmetry);
        } catch (IllegalArgumentException tooBig) {
            throw new IllegalArgumentException(config.testName() + ": " + tooBig.getMessage(), tooBig);
        }
        return new GpcModelRun(config, model, e, symmetry);
    }

    static boolean anyForbidden(Set<String> outcomes) {
        for (String o : outcomes) if (GpcOutcome.byId(o).grade() == Grade.FORBIDDEN) return true;
        return false;
    }

    /** FORBIDDEN outcomes some final state reaches, each with its shortest interleaving. */
    public Map<GpcOutcome, Trace> forbiddenTraces() {
        Map<GpcOutcome, Trace> m = new LinkedHashMap<>();
        for (GpcOutcome o : GpcOutcome.values()) {
            Trace t = exploration.shortest().get(o.id());
            if (o.grade() == Grade.FORBIDDEN && t != null) m.put(o, t);
        }
        return m;
    }

    /** The exploration as a results.json test: "rounds" are final states, each outcome with its Never/Sometimes/Always. */
    public TestResult toTestResult() {
        // only the identity: compare matches hardware tests on these; the model's size is the run's options and a note
        TestResult.Builder b = TestResult.builder(config.testName(), "gpc", config.identity())
                .expectation(config.variant().expectation()).unit("final states")
                .rounds(exploration.finalStates(), exploration.seconds()).forbiddenRounds(exploration.positiveStates());
        for (GpcOutcome o : GpcOutcome.values()) {
            long n = exploration.outcomeStates().getOrDefault(o.id(), 0L);
            b.outcome(new OutcomeCount(o.id(), n, o.grade(), o.description(), exploration.observation(o.id())));
        }
        List<ModelExtra.Counterexample> cex = new ArrayList<>();
        forbiddenTraces().forEach((o, t) -> cex.add(new ModelExtra.Counterexample(o.id(), t.start(),
                t.steps().stream().map(st -> new ModelExtra.Step(st.actor(), st.step(), st.changes())).toList())));
        b.note(String.format(java.util.Locale.ROOT, "model: %d reader%s x %d access%s (+%d while invalidating), %d invalidation%s%s,"
                + " %d states in %.2f s", config.readers(), config.readers() == 1 ? "" : "s", config.accesses(),
                config.accesses() == 1 ? "" : "es", config.extraAccesses(), config.invalidations(), config.invalidations() == 1 ? "" : "s",
                config.invalidations() > 1 ? " from 2 invalidators" : "", exploration.states(), exploration.seconds()));
        if (exploration.deadlocks() > 0) b.note(exploration.deadlocks() + " final state(s) with no step enabled while work was left (deadlock, counted as hang)");
        b.extra(new ModelExtra(SEMANTICS, exploration.states(), exploration.transitions(), exploration.deadlocks(), exploration.maxDepth(),
                symmetry ? "symmetry: identical readers explored once" : "none", exploration.reached(), cex));
        return b.build();
    }
}
