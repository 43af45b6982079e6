package org.gpcrace.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.gpcrace.util.HasId;
import org.gpcrace.util.Ids;

/** Whether a test ran, was skipped (a missing capability, with the fix) or failed (an error of the tool or the machine). */
public enum Status implements HasId {
    RAN("ran"), SKIPPED("skipped"), FAILED("failed");

    private final String id;

    Status(String id) { this.id = id; }

    @JsonValue @Override public String id() { return id; }

    @JsonCreator public static Status byId(String id) { return Ids.byId(Status.class, id, "status"); }
}
