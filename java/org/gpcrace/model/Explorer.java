package org.gpcrace.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Breadth-first enumeration of every interleaving of a {@link TransitionSystem}'s atomic steps,
 * visiting each distinct state once. Breadth-first order means the first final state found with
 * an outcome is one of the closest to the start: its path is a shortest interleaving to it.
 */
public final class Explorer {
    private Explorer() {}

    /** Refuses to grow beyond this many states (about 60 bytes each), so a too-large configuration fails fast. */
    public static final int DEFAULT_MAX_STATES = 20_000_000;

    /**
     * Explores every interleaving. {@code positive} marks the final states litmus would count as
     * satisfying the test's condition (here: carrying a FORBIDDEN outcome).
     */
    public static Exploration explore(TransitionSystem ts, int maxStates, Predicate<Set<String>> positive) {
        long t0 = System.nanoTime();
        int width = ts.fields().size();
        StateStore store = new StateStore(width);
        List<String> stepNames = new ArrayList<>();
        Map<String, Integer> stepIds = new HashMap<>();
        List<byte[]> roots = ts.initials();
        for (int i = 0; i < roots.size(); i++) store.addIfAbsent(roots.get(i), -1, i);
        byte[] cur = new byte[width], next = new byte[width];
        long transitions = 0, finals = 0, deadlocks = 0, positives = 0;
        int maxDepth = 0;
        Map<String, Long> counts = new TreeMap<>();
        Map<String, Integer> witness = new LinkedHashMap<>();
        for (int idx = 0; idx < store.size(); idx++) {
            store.read(idx, cur);
            boolean moved = false, allDone = true;
            for (int a = 0; a < ts.actors(); a++) {
                if (ts.done(cur, a)) continue;
                allDone = false;
                System.arraycopy(cur, 0, next, 0, width);
                String name = ts.step(cur, a, next);
                if (name == null) continue;
                moved = true;
                transitions++;
                int id = stepIds.computeIfAbsent(name, n -> { stepNames.add(n); return stepNames.size() - 1; });
                store.addIfAbsent(next, idx, a << 20 | id);
                if (store.size() > maxStates) {
                    throw new IllegalArgumentException("the state space exceeds " + maxStates
                            + " states: use fewer readers or accesses");
                }
            }
            if (moved) continue;
            finals++;
            if (!allDone) deadlocks++;
            maxDepth = Math.max(maxDepth, store.depth(idx));
            Set<String> outs = ts.outcomes(cur, !allDone);
            if (positive.test(outs)) positives++;
            for (String o : outs) {
                counts.merge(o, 1L, Long::sum);
                witness.putIfAbsent(o, idx);
            }
        }
        Map<String, Trace> shortest = new LinkedHashMap<>();
        witness.forEach((o, idx) -> shortest.put(o, path(ts, store, stepNames, idx)));
        return new Exploration(store.size(), transitions, finals, positives, deadlocks, maxDepth,
                (System.nanoTime() - t0) / 1e9, counts, shortest);
    }

    private static Trace path(TransitionSystem ts, StateStore store, List<String> stepNames, int idx) {
        int width = ts.fields().size();
        List<Integer> chain = new ArrayList<>();
        for (int i = idx; i >= 0; i = store.parent(i)) chain.addFirst(i);
        int root = store.via(chain.getFirst()); // a root records its initial-state index
        List<Trace.Step> steps = new ArrayList<>();
        byte[] before = new byte[width], after = new byte[width];
        for (int k = 1; k < chain.size(); k++) {
            store.read(chain.get(k - 1), before);
            store.read(chain.get(k), after);
            int via = store.via(chain.get(k));
            steps.add(new Trace.Step(ts.actorName(via >>> 20), stepNames.get(via & 0xfffff), changes(ts, before, after)));
        }
        return new Trace(root, ts.describeInitial(root), List.copyOf(steps));
    }

    /** The visible fields a step changed, as "name: old -> new". */
    static List<String> changes(TransitionSystem ts, byte[] before, byte[] after) {
        List<String> out = new ArrayList<>();
        List<TransitionSystem.Field> fields = ts.fields();
        for (int i = 0; i < before.length; i++) {
            TransitionSystem.Field f = fields.get(i);
            if (before[i] != after[i] && f.kind() != TransitionSystem.Field.Kind.HIDDEN && !(f.local() && after[i] == 0)) {
                out.add(f.name() + ": " + f.show(before[i]) + " -> " + f.show(after[i]));
            }
        }
        return out;
    }
}
