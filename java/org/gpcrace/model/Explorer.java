package org.gpcrace.model;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Breadth-first enumeration of every interleaving of a {@link TransitionSystem}'s atomic steps,
 * visiting each distinct state once, up to the system's symmetry: a state is stored as its
 * canonical representative ({@link TransitionSystem#canonical}), so states that differ only by a
 * permutation of identical actors are explored once. Final states (no actor can move) keep their
 * outcomes; which final states exist, and so Never/Sometimes/Always, is unchanged by the
 * reduction (a final state's outcomes do not depend on which identical actor is which).
 * Breadth-first order means the first final state found with an outcome is one of the closest to
 * the start: its path, replayed concretely, is a shortest interleaving to it. Every instruction
 * executed is recorded for the reachability report.
 */
public final class Explorer {
    private Explorer() {}

    /** Refuses to grow beyond this many states, so a too-large configuration fails fast. */
    public static final int DEFAULT_MAX_STATES = 20_000_000;

    public static Exploration explore(TransitionSystem ts, int maxStates, Predicate<Set<String>> positive) {
        return explore(ts, maxStates, positive, true);
    }

    /**
     * Explores every interleaving. {@code positive} marks the final states litmus would count as
     * satisfying the test's condition (here: carrying a FORBIDDEN outcome); {@code symmetry}
     * stores canonical representatives.
     */
    public static Exploration explore(TransitionSystem ts, int maxStates, Predicate<Set<String>> positive, boolean symmetry) {
        long t0 = System.nanoTime();
        int width = ts.fields().size();
        StateStore store = new StateStore(ts.fieldBits());
        List<byte[]> roots = ts.initials();
        byte[] canon = new byte[width];
        for (int i = 0; i < roots.size(); i++) {
            canonical(ts, roots.get(i), canon, symmetry);
            store.addIfAbsent(canon, -1, i);
        }
        Map<String, BitSet> reached = new LinkedHashMap<>();
        BitSet[] reachedBy = new BitSet[ts.actors()];
        boolean[] daemon = new boolean[ts.actors()];
        for (int a = 0; a < ts.actors(); a++) {
            reachedBy[a] = reached.computeIfAbsent(ts.role(a), r -> new BitSet());
            daemon[a] = ts.daemon(a);
        }
        ts.labels(false);
        byte[] cur = new byte[width], next = new byte[width];
        int[] execBuf = new int[64];
        long transitions = 0, finals = 0, deadlocks = 0, positives = 0;
        int maxDepth = 0;
        Map<String, Long> counts = new TreeMap<>();
        Map<String, Integer> witness = new LinkedHashMap<>();
        for (int idx = 0; idx < store.size(); idx++) {
            store.read(idx, cur);
            boolean moved = false, allDone = true;
            for (int a = 0; a < ts.actors(); a++) {
                if (ts.done(cur, a)) continue;
                if (!daemon[a]) allDone = false;
                System.arraycopy(cur, 0, next, 0, width);
                int pc = ts.pc(cur, a);
                String name = ts.step(cur, a, next);
                if (name == null) continue;
                moved = true;
                transitions++;
                int nx = ts.executed(execBuf);
                if (nx == 0) reachedBy[a].set(pc);
                for (int k = 0; k < nx; k++) reachedBy[a].set(execBuf[k]);
                canonical(ts, next, canon, symmetry);
                store.addIfAbsent(canon, idx, a << 20);
                if (store.size() > maxStates) {
                    throw new IllegalArgumentException("the state space exceeds " + maxStates + " states: use fewer readers or accesses");
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
        ts.labels(true);
        Map<String, Trace> shortest = new LinkedHashMap<>();
        witness.forEach((o, idx) -> shortest.put(o, path(ts, store, idx, symmetry)));
        Map<String, List<String>> unreached = new LinkedHashMap<>();
        ts.instructions().forEach((role, labels) -> {
            BitSet got = reached.getOrDefault(role, new BitSet());
            List<String> miss = new ArrayList<>();
            for (int pc = 0; pc < labels.size(); pc++) if (!got.get(pc)) miss.add(labels.get(pc));
            if (!miss.isEmpty()) unreached.put(role, miss);
        });
        Map<String, List<String>> reachedLabels = new LinkedHashMap<>();
        ts.instructions().forEach((role, labels) -> {
            BitSet got = reached.getOrDefault(role, new BitSet());
            List<String> hit = new ArrayList<>();
            for (int pc = 0; pc < labels.size(); pc++) if (got.get(pc)) hit.add(labels.get(pc));
            reachedLabels.put(role, hit);
        });
        return new Exploration(store.size(), transitions, finals, positives, deadlocks, maxDepth,
                (System.nanoTime() - t0) / 1e9, counts, shortest, reachedLabels, unreached);
    }

    private static void canonical(TransitionSystem ts, byte[] s, byte[] out, boolean symmetry) {
        if (symmetry) ts.canonical(s, out);
        else System.arraycopy(s, 0, out, 0, s.length);
    }

    /**
     * The stored path to {@code idx}, replayed from its concrete initial state: at each stored edge
     * the concrete actor whose step leads to a state of the stored child's class (a permutation of
     * identical readers may separate the two numberings).
     */
    private static Trace path(TransitionSystem ts, StateStore store, int idx, boolean symmetry) {
        int width = ts.fields().size();
        List<Integer> chain = new ArrayList<>();
        for (int i = idx; i >= 0; i = store.parent(i)) chain.addFirst(i);
        int root = store.via(chain.getFirst());
        byte[] cur = ts.initials().get(root).clone(), nxt = new byte[width], canon = new byte[width], want = new byte[width];
        List<Trace.Step> steps = new ArrayList<>();
        for (int k = 1; k < chain.size(); k++) {
            store.read(chain.get(k), want);
            boolean found = false;
            for (int a = 0; a < ts.actors() && !found; a++) {
                if (ts.done(cur, a)) continue;
                System.arraycopy(cur, 0, nxt, 0, width);
                String name = ts.step(cur, a, nxt);
                if (name == null) continue;
                canonical(ts, nxt, canon, symmetry);
                if (!java.util.Arrays.equals(canon, want)) continue;
                steps.add(new Trace.Step(ts.actorName(a), name, changes(ts, cur, nxt)));
                System.arraycopy(nxt, 0, cur, 0, width);
                found = true;
            }
            if (!found) throw new IllegalStateException("explorer: a stored step has no concrete counterpart (step " + k + ")");
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
