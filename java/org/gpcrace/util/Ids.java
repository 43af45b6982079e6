package org.gpcrace.util;

import java.util.Arrays;
import java.util.List;

/** The one lookup of an enum constant by its id; an unknown id is refused naming the ids there are. */
public final class Ids {
    private Ids() {}

    /**
     * The constant of {@code type} whose id is {@code id}.
     *
     * @param what how the value is called in the message, e.g. "--source" or "protocol"
     */
    public static <E extends Enum<E> & HasId> E byId(Class<E> type, String id, String what) {
        for (E e : type.getEnumConstants()) if (e.id().equals(id)) return e;
        throw new IllegalArgumentException("unknown " + what + " '" + id + "' (expected " + String.join(", ", ids(type)) + ")");
    }

    public static <E extends Enum<E> & HasId> List<String> ids(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(HasId::id).toList();
    }
}
