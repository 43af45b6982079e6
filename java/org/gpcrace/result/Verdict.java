package org.gpcrace.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.gpcrace.util.HasId;
import org.gpcrace.util.Ids;

/**
 * A test's verdict, decided only by {@link Grading}; the console, results.json, report.html,
 * junit.xml, the summary and the exit status all read it.
 */
public enum Verdict implements HasId {
    /** no FORBIDDEN outcome, and none was declared */
    OK("ok", "ok"),
    /** a declared-unsafe control showed its race */
    RACE_REPRODUCED("race-reproduced", "race reproduced (expected)"),
    /** a declared-unsafe control ran to the end without showing its race: inconclusive */
    RACE_NOT_REPRODUCED("race-not-reproduced", "race not reproduced (run longer)"),
    /** a FORBIDDEN outcome the expectation does not explain */
    FINDING("finding", "!!! finding"),
    /** the test could not do its work (an error of the tool or the machine) */
    FAILED("failed", "failed"),
    /** a capability is missing here; the result says why and how to enable it */
    SKIPPED("skipped", "skipped"),
    /** Ctrl-C ended the test before it could show what it was declared to show */
    INTERRUPTED("interrupted", "interrupted");

    private final String id;
    private final String label;

    Verdict(String id, String label) {
        this.id = id;
        this.label = label;
    }

    @JsonValue @Override public String id() { return id; }

    /** As the console and the reports print it. */
    public String label() { return label; }

    /** Makes the run fail (exit status 1, a JUnit failure or error). */
    public boolean failing() { return this == FINDING || this == FAILED; }

    /** Says nothing either way: the test has to run (longer) again. */
    public boolean inconclusive() { return this == RACE_NOT_REPRODUCED || this == INTERRUPTED; }

    @JsonCreator public static Verdict byId(String id) { return Ids.byId(Verdict.class, id, "verdict"); }
}
