package org.gpcrace.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * gpcrace's command tree, built for one command line: picocli reads every option of every
 * command it is given (annotations, reflection), a tenth of a second for the whole tree, so a
 * command line that names a command gets that command (and, under `run`, that scenario) and
 * nothing else. A command line that names none, or a word that is no command, gets the whole tree
 * (help lists it, a typo gets suggestions); `--version` alone gets none.
 */
final class CommandTree {
    /** The commands, in the order help lists them. */
    static final List<Class<?>> COMMANDS = List.of(DoctorCommand.class, SuiteCommand.class, RunCommand.class, ReportCommand.class,
            LatencyCommand.class, ModelCommand.class, CompareCommand.class);
    /** The scenarios under `run`. */
    static final List<Class<?>> SCENARIOS = List.of(RunGpcCommand.class, RunGpcPressureCommand.class, KvmPvclockCommand.class, PinCommand.class,
            MemslotFairnessCommand.class, RunFaultInReaderCommand.class);
    /** Options before a command word that take a value (GlobalOptions). */
    static final List<String> VALUED = List.of("--bridge");

    private CommandTree() {}

    static CommandLine build(Object top, String[] args) {
        CommandLine cl = new CommandLine(top);
        List<String> words = words(args);
        if (words.isEmpty() && versionOnly(args)) return cl;
        String first = words.isEmpty() ? null : words.get(0);
        for (Class<?> c : only(COMMANDS, first)) {
            CommandLine sub = new CommandLine(c);
            cl.addSubcommand(name(c), sub); // first, so what it inherits reaches its own subcommands
            if (c == RunCommand.class) {
                for (Class<?> s : only(SCENARIOS, words.size() > 1 ? words.get(1) : null)) sub.addSubcommand(name(s), new CommandLine(s));
            }
        }
        return cl;
    }

    /** The named class alone when {@code word} names one of them, else all of them. */
    private static List<Class<?>> only(List<Class<?>> all, String word) {
        for (Class<?> c : all) if (name(c).equals(word)) return List.of(c);
        return all;
    }

    static String name(Class<?> c) { return c.getAnnotation(Command.class).name(); }

    /** The words that are not options, in order (the value of a valued global option is skipped). */
    static List<String> words(String[] args) {
        List<String> w = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) break;
            if (a.startsWith("-")) {
                if (VALUED.contains(a)) i++;
                continue;
            }
            w.add(a);
        }
        return w;
    }

    private static boolean versionOnly(String[] args) {
        boolean version = false;
        for (String a : args) {
            if (a.equals("-V") || a.equals("--version")) version = true;
            else if (!a.startsWith("--bridge")) return false;
        }
        return version;
    }
}
