package org.gpcrace.result;

/**
 * An outcome a test declares up front (jcstress style): implemented by each scenario's outcome
 * enum, whose constants are the table of id, grade and sentence. The enum keeps one
 * {@link OutcomeSpec}; the accessors and the lookup by id are shared here.
 */
public interface DeclaredOutcome extends org.gpcrace.util.HasId {
    OutcomeSpec spec();

    @Override default String id() { return spec().id(); }

    default Grade grade() { return spec().grade(); }

    default String description() { return spec().description(); }

    /** The constant of {@code type} with this id; an unknown id names the ids there are. */
    static <E extends Enum<E> & DeclaredOutcome> E byId(Class<E> type, String id) {
        return org.gpcrace.util.Ids.byId(type, id, "outcome");
    }
}
