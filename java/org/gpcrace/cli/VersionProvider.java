package org.gpcrace.cli;

import picocli.CommandLine.IVersionProvider;

/** --version: the tool's version, the JVM, and the native helper when it loads. */
public final class VersionProvider implements IVersionProvider {
    @Override public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        String helper;
        try {
            helper = GlobalOptions.bridge().helperVersion();
        } catch (RuntimeException | LinkageError e) {
            helper = "native helper not loadable: " + e.getMessage();
        }
        return new String[] {"gpcrace " + (v == null ? "dev" : v),
                "JVM " + System.getProperty("java.vm.name") + " " + Runtime.version(), helper};
    }
}
