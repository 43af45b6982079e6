package org.gpcrace.result;

/** Why a scenario could not run here, and the exact fix. */
public record Skip(String reason, String fix) {
    public String line() { return "SKIPPED: " + reason + (fix == null || fix.isBlank() ? "" : " (fix: " + fix + ")"); }
}
