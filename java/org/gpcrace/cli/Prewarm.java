package org.gpcrace.cli;

import java.util.List;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridges.Isolation;
import org.gpcrace.sys.HostFacts;

/**
 * Fast start: on a command line that will measure, a thread of its own makes ready the native
 * bridge (its first downcalls and ABI check, tens of milliseconds), the actor process when the
 * actors will run in one and the race engine's table lookups, and another the host facts, while
 * the main thread parses the command line and builds the command: two CPUs do in parallel what
 * one would do in turn. Anything that fails here fails again, and is reported, where the command
 * itself asks for it.
 */
final class Prewarm {
    private Prewarm() {}

    static void start(String[] args) {
        List<String> w = CommandTree.words(args);
        List<String> a = List.of(args);
        if (w.isEmpty() || a.contains("-h") || a.contains("--help") || a.contains("-V") || a.contains("--version")) return;
        boolean bridge = switch (w.get(0)) {
            case "run", "latency", "suite", "doctor" -> true;
            default -> false;
        };
        if (!bridge) return;
        boolean actor = (w.get(0).equals("latency") || w.get(0).equals("suite") || (w.get(0).equals("run") && w.size() > 1 && w.get(1).equals("gpc")))
                && !value(a, "--isolation").equals("jvm") && !value(a, "--invalidator").equals("java");
        boolean gpc = w.get(0).equals("suite") || (w.get(0).equals("run") && w.size() > 1 && w.get(1).equals("gpc"));
        String name = value(a, "--bridge").isEmpty() ? "ffm" : value(a, "--bridge");
        Thread.ofPlatform().daemon(true).name("gpcrace-prewarm").start(() -> {
            try {
                NativeBridge b = Bridges.open(name);
                if (actor) Isolation.PROCESS.prestart(b);
                if (gpc) { // the race engine's table lookups: their downcalls linked here, not on the main thread
                    b.race().protocolIndex(org.gpcrace.protocol.Protocol.RWLOCK.id());
                    b.race().roundBytes(1);
                }
            } catch (RuntimeException | LinkageError ignored) {
                // the command meets it again, and says what it is
            }
        });
        // the results' host section (cached), mostly file reads: beside the bridge, not after it
        Thread.ofPlatform().daemon(true).name("gpcrace-prewarm-host").start(() -> {
            try {
                HostFacts.probe().info();
            } catch (RuntimeException ignored) {
                // read again, and reported, where the results ask for it
            }
        });
    }

    /** The value of an option given as "--opt v" or "--opt=v", or "". */
    static String value(List<String> args, String option) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(option) && i + 1 < args.size()) return args.get(i + 1);
            if (args.get(i).startsWith(option + "=")) return args.get(i).substring(option.length() + 1);
        }
        return "";
    }
}
