package org.gpcrace.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `gpcrace run SCENARIO`: one scenario on this machine (gpc, gpc-pressure, kvm-pvclock, pin, memslot-fairness, fault-in-reader: {@link CommandTree#SCENARIOS}). */
@Command(name = "run", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Run one scenario on this machine.")
public final class RunCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "run: a scenario is required (try gpcrace run --help)");
    }
}
