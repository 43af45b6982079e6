package org.gpcrace.model;

import java.util.Set;

/**
 * Replays an interleaving through the step semantics, checking at each step that the named
 * actor can move and that its step has the recorded name: proof that a printed counterexample
 * is a real execution of the model, not a reconstruction.
 */
public final class Replay {
    private Replay() {}

    /** The final state's outcomes after replaying {@code trace}; throws when a step does not apply. */
    public static Set<String> outcomes(TransitionSystem ts, Trace trace) {
        if (trace.initial() < 0 || trace.initial() >= ts.initials().size()) {
            throw new IllegalStateException("no initial state " + trace.initial());
        }
        byte[] s = ts.initials().get(trace.initial()).clone();
        int n = 0;
        for (Trace.Step st : trace.steps()) {
            n++;
            int actor = actor(ts, st.actor());
            if (ts.done(s, actor)) throw new IllegalStateException("step " + n + ": " + st.actor() + " has already finished");
            byte[] next = s.clone();
            String name = ts.step(s, actor, next);
            if (name == null) throw new IllegalStateException("step " + n + ": " + st.actor() + " is blocked");
            if (!name.equals(st.step())) {
                throw new IllegalStateException("step " + n + ": " + st.actor() + " takes '" + name + "', trace says '" + st.step() + "'");
            }
            if (!Explorer.changes(ts, s, next).equals(st.changes())) {
                throw new IllegalStateException("step " + n + ": changes differ from the trace");
            }
            s = next;
        }
        boolean allDone = true, canMove = false;
        for (int a = 0; a < ts.actors(); a++) {
            if (ts.done(s, a)) continue;
            if (!ts.daemon(a)) allDone = false; // a daemon may wait forever
            if (ts.step(s, a, s.clone()) != null) canMove = true;
        }
        if (canMove) throw new IllegalStateException("the trace ends in a state where an actor can still move");
        return ts.outcomes(s, !allDone);
    }

    private static int actor(TransitionSystem ts, String name) {
        for (int a = 0; a < ts.actors(); a++) if (ts.actorName(a).equals(name)) return a;
        throw new IllegalArgumentException("no actor named " + name);
    }
}
