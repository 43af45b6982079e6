package org.gpcrace.cli;

import org.gpcrace.bridges.Isolation;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * --isolation process|jvm, for the commands whose measured actors can run in an address space of
 * their own (latency, run gpc, suite). process (the default): in gpcrace-actor, whose address
 * space holds the actors and nothing else; jvm: in the JVM's own (the Java invalidator needs it).
 */
public final class IsolationOption {
    @Option(names = "--isolation", paramLabel = "process|jvm",
            description = "where the measured actors run: process (default), an address space of their own that no JVM thread"
                    + " (JIT, GC) can enter; jvm, the JVM's own (needed by --invalidator java)")
    String isolation;

    /** The mode asked for, or {@code otherwise} when none was given; an unknown mode is bad input (exit 2). */
    Isolation mode(Isolation otherwise) { return isolation == null ? otherwise : Isolation.byId(isolation); }

    boolean given() { return isolation != null; }

    /** What results.json's run.isolation records for a command: its --isolation mode, "jvm" for commands without the option. */
    static String recorded(CommandSpec spec) {
        for (CommandSpec m : spec.mixins().values()) {
            if (m.userObject() instanceof IsolationOption o) {
                Isolation chosen = spec.userObject() instanceof RunGpcCommand g ? g.isolationMode() : o.mode(Isolation.PROCESS);
                return chosen.id();
            }
        }
        return Isolation.JVM.id();
    }
}
