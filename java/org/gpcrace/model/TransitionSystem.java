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

    /** Bits each field's values need (states are stored packed); 8 when the system does not say. */
    default int[] fieldBits() {
        int[] b = new int[fields().size()];
        java.util.Arrays.fill(b, 8);
        return b;
    }

    /** Whether {@link #step} names its steps (traces) or only says it moved (exploring: any non-null name). */
    default void labels(boolean on) {}

    /** A daemon (a signal in flight, a worker) may wait forever: blocked daemons are no deadlock. */
    default boolean daemon(int actor) { return false; }

    /** The program role of an actor ("reader", "invalidator0", ...): actors of one role run one program. */
    default String role(int actor) { return actorName(actor); }

    /**
     * The instructions the last step executed (a step may run several fused ones), written into
     * {@code into}; 0 when the system does not say (then the step's program counter counts).
     */
    default int executed(int[] into) { return 0; }

    /** The instruction the actor's next step executes (its program counter). */
    default int pc(byte[] state, int actor) { return 0; }

    /** Every instruction of every role, as labels, in program order (for the reachability report). */
    default java.util.Map<String, List<String>> instructions() { return java.util.Map.of(); }

    /**
     * The canonical representative of the state's symmetry class (identical readers permuted into
     * a fixed order), written into {@code out}; the default is the state itself (no reduction).
     */
    default void canonical(byte[] state, byte[] out) { System.arraycopy(state, 0, out, 0, state.length); }

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

        /** Lock-holder values of actors that are not readers (readers, at most 3, hold r + 1). */
        public static final int OWNER_INV0 = 4, OWNER_INV1 = 5, OWNER_MONITOR = 6, OWNER_WORKER = 7;

        public enum Kind { BOOL, COUNT, MASK, OWNER, FRAME, GENERATION, EVENT, HIDDEN, MAPPING, MODE, GENS }

        public String show(int v) {
            return switch (kind) {
                case BOOL -> v != 0 ? "true" : "false";
                case COUNT, HIDDEN -> Integer.toString(v);
                case MASK -> mask(v);
                case OWNER -> switch (v) {
                    case 0 -> "free";
                    case OWNER_INV0 -> "invalidator0";
                    case OWNER_INV1 -> "invalidator1";
                    case OWNER_MONITOR -> "monitor";
                    case OWNER_WORKER -> "worker";
                    default -> "r" + (v - 1);
                };
                case FRAME -> v == 0 ? "old frame" : "new frame";
                case GENERATION -> v == 0 ? "g" : "g+" + v;
                case EVENT -> v == 0 ? "none" : v == 1 ? "queued" : "read";
                case MAPPING -> v == GpcModel.NULL_MAP ? "NULL" : v == GpcModel.UHVA ? "uhva" : "view" + v;
                case MODE -> v == 0 ? "outside" : v == 1 ? "in guest" : "exiting";
                case GENS -> gens(v);
            };
        }

        private static String gens(int v) {
            StringBuilder s = new StringBuilder("{");
            for (int i = 0; i < 4; i++) if ((v & (1 << i)) != 0) s.append(s.length() > 1 ? "," : "").append(i == 0 ? "g" : "g+" + i);
            return s.append('}').toString();
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
