package org.gpcrace.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gpcrace.harness.RunDirectory;
import org.gpcrace.scenario.pin.PinTest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `gpcrace run pin`: long-term references (vmsplice, io_uring) vs DONTNEED / MAP_FIXED remap; mlock + DONTNEED. */
@Command(name = "pin", mixinStandardHelpOptions = true, addMethodSubcommands = false, sortOptions = false,
        description = {"Why the GPC does not pin: a vmsplice'd pipe and an io_uring registered buffer keep the old frame after"
                + " MADV_DONTNEED or a MAP_FIXED remap (stale-pin, expected every time); mlock + MADV_DONTNEED is refused.",
                "Exit status 1 when a FORBIDDEN outcome was seen."})
public final class PinCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--trials", paramLabel = "N", description = "trials per reference kind and move (default: ${DEFAULT-VALUE})")
    long trials = 1000;
    @Mixin OutputOptions output;

    @Override public Integer call() {
        if (trials <= 0) throw new UserInputException("--trials must be > 0, got " + trials);
        RunDirectory dir = output.directory("run-pin");
        return TestRun.hardware(spec, output, dir, "run pin", Map.of("trials", trials), List.of(new PinTest(trials, GlobalOptions.bridge())));
    }
}
