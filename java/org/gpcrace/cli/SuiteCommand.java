package org.gpcrace.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gpcrace.result.Grade;
import org.gpcrace.result.TestResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `gpcrace suite`: the default job (`make run`): doctor, the guest-memory demonstration, then
 * each scenario that can run here, with a summary. Results go to --out (results.json).
 */
@Command(name = "suite", mixinStandardHelpOptions = true,
        description = "Run the default suite on this machine: doctor, then every scenario that can run here.")
public final class SuiteCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("gpcrace-results");

    /** The steps, in order. Each scenario adds its row here. */
    static List<SuiteStep> steps() {
        return List.of(
                new DoctorCommand.Step(),
                new MemoryDemo()
                // ---- gpc
                , new RunGpcCommand.Step()
                // ---- latency
                , new LatencyCommand.Step()
                // ---- kvm-pvclock, pin, memslot-fairness
                );
    }

    @Override public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        List<TestResult> all = new ArrayList<>();
        List<String> summary = new ArrayList<>();
        for (SuiteStep step : steps()) {
            w.println();
            w.println("=== " + step.name());
            List<TestResult> tests = step.run(w, out);
            all.addAll(tests);
            for (TestResult t : tests) summary.add(summaryLine(t));
            SuiteResults.write(out, all);
        }
        w.println();
        w.println("=== summary (" + out.resolve("results.json") + ")");
        summary.forEach(w::println);
        w.flush();
        return ExitCodes.OK;
    }

    static String summaryLine(TestResult t) {
        if (!t.ran()) {
            return String.format("  %-48s %s", t.name(), t.skip() != null ? t.skip().line() : "FAILED: " + t.error());
        }
        long forbidden = t.forbiddenCount();
        String verdict = forbidden == 0 ? "no forbidden outcome"
                : "FORBIDDEN outcomes: " + forbidden + " (" + t.outcomes().stream()
                        .filter(o -> o.grade() == Grade.FORBIDDEN && o.count() > 0)
                        .map(o -> o.id() + "=" + o.count()).reduce((a, b) -> a + ", " + b).orElse("") + ")";
        return String.format("  %-48s %s", t.name(), verdict);
    }
}
