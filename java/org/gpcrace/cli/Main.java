package org.gpcrace.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * gpcrace's command tree (its commands are in {@link CommandTree}, built for each command line).
 * Bad input (unknown command, bad option, invalid combination) prints one line on stderr and exits
 * 2; a FORBIDDEN outcome or an Unexpected verdict exits 1.
 */
@Command(name = "gpcrace", mixinStandardHelpOptions = true, addMethodSubcommands = false, versionProvider = VersionProvider.class,
        description = "Reproduce the KVM gfn-to-pfn cache / MMU-notifier invalidation race on real hardware,"
                + " measure page-invalidation latency, validate simulator results against hardware.")
public final class Main implements Runnable {
    @CommandLine.Mixin GlobalOptions global;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try gpcrace --help)");
    }

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        // a run killed while it had the host changed (tracing, KSM, a swap file, a cgroup): put it back first
        for (String line : org.gpcrace.sys.HostChanges.recoverStale()) err.println("gpcrace: host left by a killed run: " + line);
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // what picocli would print, without building a command line or the logging for it (a tenth of a second)
            for (String line : VersionProvider.lines("ffm")) System.out.println(line);
            System.exit(0);
        }
        // before anything makes a logger: slf4j-simple fixes a logger's level when it is made
        if (GlobalOptions.verboseAsked(args)) GlobalOptions.verbose();
        Prewarm.start(args); // the native side starts on another CPU while this one parses
        System.exit(execute(args, new PrintWriter(System.out, true), err));
    }

    /** One line for a command line picocli could not take: our own message where we made one, suggestions for a mistyped option. */
    static String badInput(CommandLine.ParameterException ex) {
        for (Throwable c = ex.getCause(); c != null; c = c.getCause()) {
            // our own converters name the option first; picocli's own messages say which option themselves
            if (c instanceof CommandLine.TypeConversionException t && t.getMessage() != null && t.getMessage().startsWith("--")) {
                return oneLine(t.getMessage());
            }
        }
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().getFirst();
            java.util.List<String> sugg = u.getSuggestions();
            return (first.startsWith("-") ? "unknown option '" : "unexpected argument '") + first + "'"
                    + (sugg.isEmpty() ? "" : " (did you mean " + String.join(" or ", sugg.subList(0, Math.min(3, sugg.size()))) + "?)")
                    + " (see --help)";
        }
        return oneLine(ex.getMessage());
    }

    static String oneLine(String s) { return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip(); }

    /** Runs a command line; tests call this to check outputs and exit codes without exiting. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        if (GlobalOptions.verboseAsked(args)) GlobalOptions.verbose();
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);
        if (log.isDebugEnabled()) { // the version is read from the jar's manifest: not when nobody prints it
            log.debug("gpcrace {} on {} {}, {} CPUs: {}", VersionProvider.toolVersion(), System.getProperty("java.vm.name"), Runtime.version(),
                    Runtime.getRuntime().availableProcessors(), String.join(" ", args));
        }
        CommandLine cl = CommandTree.build(new Main(), args);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("gpcrace: " + badInput(ex));
            return ExitCodes.BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            if (ex instanceof UserInputException || ex instanceof IllegalArgumentException) {
                err.println("gpcrace: " + oneLine(ex.getMessage()));
                return ExitCodes.BAD_INPUT;
            }
            if (ex instanceof java.io.UncheckedIOException io) {
                err.println("gpcrace: " + oneLine(io.getMessage()));
                return ExitCodes.FAILURE;
            }
            err.println("gpcrace: " + c.getCommandName() + " failed: " + ex);
            org.slf4j.LoggerFactory.getLogger(Main.class).debug("{} failed", c.getCommandName(), ex);
            if (Boolean.getBoolean("gpcrace.debug")) ex.printStackTrace(err);
            return ExitCodes.FAILURE;
        });
        return cl.execute(args);
    }
}
