package org.gpcrace.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.gpcrace.result.Observation;
import org.junit.jupiter.api.Test;

/** The explorer on toy systems whose state spaces are known by hand. */
class ExplorerTest {

    /**
     * Two actors each tick K times, then do a racy read-modify-write of a shared cell in two steps
     * (load, store): the classic lost update. With {@code deadlock}, actor 1 never gets past its
     * ticks, so the run ends with actor 1 stuck.
     */
    static final class Toy implements TransitionSystem {
        final int k;
        final boolean deadlock;

        Toy(int k, boolean deadlock) { this.k = k; this.deadlock = deadlock; }

        // fields: pc0, pc1, local0, local1, shared
        @Override public List<Field> fields() {
            return List.of(new Field("pc0", Field.Kind.HIDDEN), new Field("pc1", Field.Kind.HIDDEN),
                    new Field("local0", Field.Kind.COUNT), new Field("local1", Field.Kind.COUNT), new Field("shared", Field.Kind.COUNT));
        }

        @Override public List<byte[]> initials() { return List.of(new byte[5]); }

        @Override public int actors() { return 2; }

        @Override public String actorName(int a) { return "a" + a; }

        @Override public boolean done(byte[] s, int a) { return s[a] == k + 2; }

        @Override public String step(byte[] s, int a, byte[] n) {
            int pc = s[a];
            if (pc < k) { n[a]++; return "tick"; }
            if (pc == k) {
                if (deadlock && a == 1) return null;
                n[2 + a] = s[4]; n[a]++; return "load";
            }
            n[4] = (byte) (s[2 + a] + 1); n[a]++; return "store";
        }

        @Override public Set<String> outcomes(byte[] s, boolean stuck) {
            if (stuck) return Set.of("stuck");
            return Set.of(s[4] == 2 ? "both" : "lost-update");
        }
    }

    @Test
    void countsEveryDistinctStateOnceAndFindsBothOutcomes() {
        int k = 3;
        Exploration e = Explorer.explore(new Toy(k, false), 1_000_000, o -> o.contains("lost-update"));
        // every distinct state exactly once: the same count as an independent depth-first enumeration
        assertEquals(bruteForceStates(k), e.states());
        assertEquals(Observation.Sometimes, e.observation("lost-update"));
        assertEquals(Observation.Sometimes, e.observation("both"));
        assertEquals(2L * (k + 2), e.maxDepth());
        // the shortest lost update: both tick k times, load, load, store, store
        assertEquals(2 * (k + 2), e.shortest().get("lost-update").length());
        assertEquals(e.finalStates(), e.outcomeStates().values().stream().mapToLong(Long::longValue).sum());
    }

    /** Depth-first enumeration of every interleaving, collecting distinct states in a set. */
    private static long bruteForceStates(int k) {
        Toy t = new Toy(k, false);
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<byte[]> unvisited = new java.util.ArrayDeque<>();
        unvisited.push(t.initials().getFirst());
        while (!unvisited.isEmpty()) {
            byte[] s = unvisited.pop();
            if (!seen.add(java.util.Arrays.toString(s))) continue;
            for (int a = 0; a < 2; a++) {
                if (t.done(s, a)) continue;
                byte[] n = s.clone();
                if (t.step(s, a, n) != null) unvisited.push(n);
            }
        }
        return seen.size();
    }

    @Test
    void aStateWhereNobodyCanMoveIsReportedAsADeadlock() {
        Exploration e = Explorer.explore(new Toy(1, true), 1000, o -> o.contains("stuck"));
        assertTrue(e.deadlocks() > 0);
        assertEquals(Observation.Always, e.observation("stuck"));
    }

    @Test
    void refusesToGrowPastTheStateLimit() {
        var ex = assertThrows(IllegalArgumentException.class, () -> Explorer.explore(new Toy(20, false), 50, o -> false));
        assertTrue(ex.getMessage().contains("exceeds 50 states"), ex.getMessage());
    }

    @Test
    void replayRejectsAStepTheActorDoesNotTake() {
        Toy t = new Toy(1, false);
        Trace ok = Explorer.explore(t, 1000, o -> false).shortest().get("lost-update");
        assertEquals(Set.of("lost-update"), Replay.outcomes(t, ok));
        List<Trace.Step> steps = new java.util.ArrayList<>(ok.steps());
        steps.set(0, new Trace.Step(steps.get(0).actor(), "store", steps.get(0).changes()));
        assertThrows(IllegalStateException.class, () -> Replay.outcomes(t, new Trace(0, "", steps)));
        assertThrows(IllegalStateException.class, () -> Replay.outcomes(t, new Trace(0, "", ok.steps().subList(0, 3))));
    }
}
