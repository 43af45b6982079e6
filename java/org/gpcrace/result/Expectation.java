package org.gpcrace.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import org.gpcrace.util.HasId;
import org.gpcrace.util.Ids;

/**
 * What a test is declared to show, before it runs (jcstress's @Outcome grades say what each
 * outcome means; this says which FORBIDDEN outcomes the test exists to provoke):
 * <ul>
 *   <li>{@code safe}: no FORBIDDEN outcome may appear; any is a finding.</li>
 *   <li>{@code unsafe}: a declared-unsafe control (locktorture's lock_busted): the FORBIDDEN
 *       outcomes in {@code race} are the race it reproduces; seeing one is expected, seeing none
 *       means the race was not reproduced; any other FORBIDDEN outcome (a hang, a harness
 *       inconsistency) is still a finding.</li>
 * </ul>
 *
 * @param reason one line: why this is the expectation (the protocol's argument)
 */
public record Expectation(Kind kind, List<String> race, String reason) {

    public enum Kind implements HasId {
        SAFE("safe"), UNSAFE("unsafe");

        private final String id;

        Kind(String id) { this.id = id; }

        @JsonValue @Override public String id() { return id; }

        @JsonCreator public static Kind byId(String id) { return Ids.byId(Kind.class, id, "expectation kind"); }
    }

    public Expectation {
        race = race == null ? List.of() : List.copyOf(race);
        if (kind == Kind.UNSAFE && race.isEmpty()) throw new IllegalArgumentException("an unsafe expectation names the race's outcomes");
        if (kind == Kind.SAFE && !race.isEmpty()) throw new IllegalArgumentException("a safe expectation names no race");
    }

    public static Expectation safe(String reason) { return new Expectation(Kind.SAFE, List.of(), reason); }

    public static Expectation unsafe(String reason, String... raceOutcomes) {
        return new Expectation(Kind.UNSAFE, List.of(raceOutcomes), reason);
    }

    public boolean declaredUnsafe() { return kind == Kind.UNSAFE; }
}
