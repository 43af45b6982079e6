package org.gpcrace.cli;

import picocli.CommandLine.IVersionProvider;

/** --version: the tool's version, the JVM, and the native helper when it loads. */
public final class VersionProvider implements IVersionProvider {
    @Override public String[] getVersion() { return lines(GlobalOptions.bridgeName()); }

    /** The lines through the named bridge (Main's fast path names it without loading GlobalOptions and its logger). */
    static String[] lines(String bridge) {
        String helper;
        try {
            helper = org.gpcrace.bridges.Bridges.helperVersion(bridge);
        } catch (RuntimeException | LinkageError e) {
            helper = "native helper not loadable: " + e.getMessage();
        }
        return new String[] {"gpcrace " + toolVersion() + " (commit " + org.gpcrace.result.RunInfo.buildCommit() + ")", "JVM " + System.getProperty("java.vm.name") + " " + Runtime.version(), helper};
    }

    /** The version in the jar's manifest ("dev" when run from classes). */
    static String toolVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
