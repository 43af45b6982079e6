package org.gpcrace.cli;

import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridge.NativeBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command accepts, before or after the command name (inherited scope). */
public final class GlobalOptions {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalOptions.class);
    private static String bridgeName = "ffm";

    /** The slf4j-simple property that sets gpcrace's own loggers' level (read as each logger is made). */
    static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.org.gpcrace";

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "tell on stderr what each step does: capabilities probed, CPUs chosen, calibration, files written")
    void setVerbose(boolean on) {
        if (on) verbose();
    }

    /**
     * gpcrace's loggers at debug from now on. Main calls it before anything logs when the command
     * line has -v anywhere; the option itself covers spellings only picocli knows (-qv).
     */
    static void verbose() { System.setProperty(LEVEL_PROPERTY, "debug"); }

    /** Whether {@code args} asks for -v/--verbose (before a "--" that ends the options). */
    static boolean verboseAsked(String[] args) {
        for (String a : args) {
            if (a.equals("--")) return false;
            if (a.equals("-v") || a.equals("--verbose")) return true;
        }
        return false;
    }

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
    public static NativeBridge bridge() {
        LOG.debug("native bridge: {} (libgpcrace loaded and its ABI checked on first use)", bridgeName);
        return Bridges.open(bridgeName);
    }
}
