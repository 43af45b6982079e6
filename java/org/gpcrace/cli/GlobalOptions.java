package org.gpcrace.cli;

import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridge.NativeBridge;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command accepts, before or after the command name (inherited scope). */
public final class GlobalOptions {
    private static String bridgeName = "ffm";

    @Option(names = "--bridge", scope = ScopeType.INHERIT, paramLabel = "ffm|jna",
            description = "native bridge: ffm (Foreign Function & Memory, default) or jna")
    void setBridge(String name) {
        if (!Bridges.NAMES.contains(name)) {
            throw new picocli.CommandLine.TypeConversionException("--bridge: unknown bridge '" + name + "' (expected ffm or jna)");
        }
        bridgeName = name;
    }

    public static String bridgeName() { return bridgeName; }

    /** The bridge chosen on the command line, opened (and ABI-checked) on first use. */
    public static NativeBridge bridge() { return Bridges.open(bridgeName); }
}
