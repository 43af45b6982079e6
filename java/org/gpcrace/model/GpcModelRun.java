package org.gpcrace.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gpcrace.oracle.GpcOutcome;
import org.gpcrace.result.Grade;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.TestResult;

/**
 * Explores one configuration and turns the exploration into a results.json test: one outcome row
 * per GPC outcome with the number of final states carrying it and its Never/Sometimes/Always
 * ("rounds" are final states), and the model's figures and shortest counterexamples in
 * {@code extra.model}.
 */
public record GpcModelRun(GpcModelConfig config, GpcModel model, Exploration exploration) {

    public static final String SEMANTICS = "sequential consistency, every interleaving of atomic steps";

    public static GpcModelRun explore(GpcModelConfig config, int maxStates) {
        GpcModel model = new GpcModel(config);
        Exploration e;
        try {
            e = Explorer.explore(model, maxStates, GpcModelRun::anyForbidden);
        } catch (IllegalArgumentException tooBig) {
            throw new IllegalArgumentException(config.testName() + ": " + tooBig.getMessage(), tooBig);
        }
        return new GpcModelRun(config, model, e);
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

    public TestResult toTestResult() {
        List<OutcomeCount> outcomes = new ArrayList<>();
        for (GpcOutcome o : GpcOutcome.values()) {
            long n = exploration.outcomeStates().getOrDefault(o.id(), 0L);
            outcomes.add(new OutcomeCount(o.id(), n, o.grade(), o.description(), exploration.observation(o.id())));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("semantics", SEMANTICS);
        m.put("readers", config.readers());
        m.put("accessesPerReader", config.accesses());
        m.put("extraAccesses", config.extraAccesses());
        m.put("invalidations", 1);
        m.put("refreshBound", config.refreshBound());
        m.put("expectedSafe", config.protocol().expectedSafe());
        m.put("statesExplored", exploration.states());
        m.put("transitions", exploration.transitions());
        m.put("finalStates", exploration.finalStates());
        m.put("forbiddenFinalStates", exploration.positiveStates());
        m.put("deadlocks", exploration.deadlocks());
        m.put("longestInterleaving", exploration.maxDepth());
        List<Map<String, Object>> traces = new ArrayList<>();
        forbiddenTraces().forEach((o, t) -> {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("outcome", o.id());
            if (!t.start().isEmpty()) tm.put("start", t.start());
            tm.put("steps", t.steps());
            traces.add(tm);
        });
        m.put("counterexamples", traces);
        double secs = exploration.seconds();
        return new TestResult(config.testName(), "gpc", config.identity(), "ran", null, null,
                exploration.finalStates(), secs, secs > 0 ? exploration.finalStates() / secs : 0, outcomes, null,
                List.of(), Map.of("model", m));
    }
}
