package org.gpcrace.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.gpcrace.result.Json;
import org.gpcrace.sys.Capabilities;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `gpcrace doctor`: what this machine can do, and for each scenario whether it can run here. */
@Command(name = "doctor", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Probe this machine's capabilities and say which scenarios can run here (and the fix when not).")
public final class DoctorCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Option(names = "--restore", description = "undo what killed gpcrace runs left changed on this host (tracing, KSM, swap files, cgroups), from their journals, and say what was done")
    boolean restore;

    @Override public Integer call() {
        if (restore) {
            PrintWriter out = spec.commandLine().getOut();
            java.util.List<String> done = org.gpcrace.sys.HostChanges.recoverStale();
            if (done.isEmpty()) out.println("nothing to restore: no journal of a killed run in " + org.gpcrace.sys.HostChanges.journalDir());
            done.forEach(out::println);
            out.flush();
            return done.stream().anyMatch(l -> !l.startsWith("restored: ")) ? ExitCodes.FAILURE : ExitCodes.OK;
        }
        Capabilities caps = Capabilities.probe(GlobalOptions.bridgeName());
        PrintWriter out = spec.commandLine().getOut();
        if (json) out.println(Json.write(caps.report()));
        else caps.print(out);
        out.flush();
        return ExitCodes.OK;
    }

}
