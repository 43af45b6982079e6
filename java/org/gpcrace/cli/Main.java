package org.gpcrace.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * gpcrace's command tree. Bad input (unknown command, bad option, invalid combination) prints
 * one line on stderr and exits 2; a FORBIDDEN outcome or an Unexpected verdict exits 1.
 */
@Command(name = "gpcrace", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Reproduce the KVM gfn-to-pfn cache / MMU-notifier invalidation race on real hardware,"
                + " measure page-invalidation latency, validate simulator results against hardware.",
        subcommands = {
                DoctorCommand.class,
                SuiteCommand.class,
                RunCommand.class,
                ReportCommand.class,
                // ---- latency
                LatencyCommand.class,
                // ---- model / compare
                ModelCommand.class,
                CompareCommand.class,
        })
public final class Main implements Runnable {
    @CommandLine.Mixin GlobalOptions global;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try gpcrace --help)");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line; tests call this to check outputs and exit codes without exiting. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("gpcrace: " + ex.getMessage());
            return ExitCodes.BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            if (ex instanceof UserInputException || ex instanceof IllegalArgumentException) {
                err.println("gpcrace: " + ex.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            err.println("gpcrace: " + c.getCommandName() + " failed: " + ex);
            if (Boolean.getBoolean("gpcrace.debug")) ex.printStackTrace(err);
            return ExitCodes.FAILURE;
        });
        return cl.execute(args);
    }
}
