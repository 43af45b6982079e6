package org.gpcrace.bridge;

/**
 * The host cannot do what was asked (no userfaultfd, no THP, ...): the scenario is reported as
 * skipped with this reason and fix, never as passed. The native helper phrases it "reason; fix".
 */
public final class CapabilityMissingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CapabilityMissingException(String reasonAndFix) { super(reasonAndFix); }

    public String reason() { return getMessage().split("; ", 2)[0]; }

    public String fix() {
        String[] p = getMessage().split("; ", 2);
        return p.length > 1 ? p[1] : "";
    }
}
