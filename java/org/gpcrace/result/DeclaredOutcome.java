package org.gpcrace.result;

/**
 * An outcome a test declares up front (jcstress style): implemented by each scenario's outcome
 * enum, whose constants are the table of id, grade and sentence. The enum keeps one
 * {@link OutcomeSpec}; the accessors and the lookup by id are shared here.
 */
public interface DeclaredOutcome {
    OutcomeSpec spec();

    default String id() { return spec().id(); }

    default Grade grade() { return spec().grade(); }

    default String description() { return spec().description(); }

    /** The constant of {@code type} with this id; an unknown id names the ids there are. */
    static <E extends Enum<E> & DeclaredOutcome> E byId(Class<E> type, String id) {
        for (E e : type.getEnumConstants()) if (e.id().equals(id)) return e;
        throw new IllegalArgumentException("unknown outcome '" + id + "' (expected one of "
                + String.join(", ", java.util.Arrays.stream(type.getEnumConstants()).map(DeclaredOutcome::id).toList()) + ")");
    }
}
