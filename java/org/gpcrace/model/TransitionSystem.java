package org.gpcrace.model;

import java.util.List;
import java.util.Set;

/**
 * A closed system of deterministic actors over a state of small integer fields. Each actor has
 * at most one next step in a state (its program counter decides it); the only nondeterminism is
 * which actor moves next, which is what the explorer enumerates (sequential consistency: one
 * atomic step at a time, every interleaving).
 */
public interface TransitionSystem {
    /** The fields of a state, in order: names for traces and a kind for printing values. */
    List<Field> fields();

    /**
     * The initial states: more than one when something fixed at the round's start is not the
     * actors' choice (e.g. which page a remap will map); every one is explored.
     */
    List<byte[]> initials();

    /** What sets an initial state apart from the others, for traces ("" when there is one). */
    default String describeInitial(int index) { return ""; }

    int actors();

    String actorName(int actor);

    boolean done(byte[] state, int actor);

    /**
     * Takes the actor's next step: writes the successor into {@code next} (a copy of
     * {@code state} on entry) and returns the step's name, or returns null when the actor is
     * blocked or done (then {@code next} is ignored).
     */
    String step(byte[] state, int actor, byte[] next);

    /**
     * Outcome ids of a final state: every actor done, or none can move ({@code deadlock}).
     */
    Set<String> outcomes(byte[] state, boolean deadlock);

    /**
     * One state field: its name in traces and how to print its value. A {@code local} field is an
     * actor's private copy; traces do not show it being cleared (to 0) once it is dead.
     */
    record Field(String name, Kind kind, boolean local) {
        public Field(String name, Kind kind) { this(name, kind, false); }

        /** Lock-holder values of an OWNER field besides readers (r + 1). */
        public static final int OWNER_INVALIDATOR = 100, OWNER_MONITOR = 101;

        public enum Kind { BOOL, COUNT, MASK, OWNER, FRAME, GENERATION, EVENT, HIDDEN }

        public String show(int v) {
            return switch (kind) {
                case BOOL -> v != 0 ? "true" : "false";
                case COUNT, HIDDEN -> Integer.toString(v);
                case MASK -> mask(v);
                case OWNER -> v == 0 ? "free" : v == OWNER_INVALIDATOR ? "invalidator"
                        : v == OWNER_MONITOR ? "monitor" : "r" + (v - 1);
                case FRAME -> v == 0 ? "old frame" : "new frame";
                case GENERATION -> v == 0 ? "g" : "g+" + v;
                case EVENT -> v == 0 ? "none" : v == 1 ? "queued" : "read";
            };
        }

        private static String mask(int v) {
            StringBuilder s = new StringBuilder("{");
            for (int i = 0; i < 8; i++) {
                if ((v & (1 << i)) != 0) s.append(s.length() > 1 ? "," : "").append('r').append(i);
            }
            return s.append('}').toString();
        }
    }
}
