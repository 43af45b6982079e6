package org.gpcrace.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gpcrace.report.NotesReport;
import org.gpcrace.result.TestResult;
import org.gpcrace.scenario.pin.PinScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `gpcrace run pin`: long-term references (vmsplice, io_uring) vs DONTNEED / MAP_FIXED remap; mlock + DONTNEED. */
@Command(name = "pin", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Why the GPC does not pin: a vmsplice'd pipe and an io_uring registered buffer keep the old frame after"
                + " MADV_DONTNEED or a MAP_FIXED remap (stale-pin, expected every time); mlock + MADV_DONTNEED is refused.",
                "Exit status 1 when a FORBIDDEN outcome was seen."})
public final class PinCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--trials", paramLabel = "N", description = "trials per reference kind and move (default: ${DEFAULT-VALUE})")
    long trials = 1000;
    @Option(names = "--out", paramLabel = "DIR", description = "output directory for results.json (default: ${DEFAULT-VALUE})")
    Path out = Path.of("gpcrace-results");

    @Override public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        List<TestResult> done = new ArrayList<>();
        if (trials <= 0) throw new UserInputException("--trials must be > 0, got " + trials);
        try (InterruptGuard guard = new InterruptGuard("pin")) {
            new PinScenario(GlobalOptions.bridge(), trials, guard).run(t -> {
                done.add(t);
                NotesReport.print(w, t);
                try {
                    SuiteResults.write(out, done, Map.of("trials", trials));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        return KvmPvclockCommand.exitCode(done);
    }

    /** The suite's pin step: 500 trials each. */
    static final class Step implements SuiteStep {
        @Override public String name() { return "pin (vmsplice, io_uring vs DONTNEED / remap; mlock)"; }

        @Override public void run(PrintWriter out, Path outDir, java.util.function.Consumer<TestResult> finished) {
            try (InterruptGuard guard = new InterruptGuard("pin")) {
                new PinScenario(GlobalOptions.bridge(), 500, guard).run(t -> {
                    NotesReport.print(out, t);
                    finished.accept(t);
                });
            }
        }
    }
}
