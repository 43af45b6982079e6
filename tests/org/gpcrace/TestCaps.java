package org.gpcrace;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.gpcrace.sys.Capabilities;

/**
 * Capability assumptions for tests: a test that needs a capability calls {@link #assume}, which
 * skips it with the reason and the fix when the machine lacks it. CapabilityGuardTest fails when
 * the machine does have the capability but the probe says it does not (so nothing is skipped
 * silently on a capable machine).
 */
public final class TestCaps {
    private TestCaps() {}

    private static Capabilities caps;

    public static synchronized Capabilities caps() {
        if (caps == null) caps = Capabilities.probe("ffm");
        return caps;
    }

    public static void assume(String capability) {
        Capabilities.Capability c = caps().get(capability);
        assumeTrue(c != null && c.available(), () -> "needs " + capability + ": "
                + (c == null ? "not probed" : c.detail() + " (fix: " + c.fix() + ")"));
    }

    public static boolean has(String capability) { return caps().has(capability); }
}
