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
                new MemoryDemo(),
                new RunGpcCommand.Step(),
                new LatencyCommand.Step(),
                new KvmPvclockCommand.Step(),
                new PinCommand.Step(),
                new MemslotFairnessCommand.Step());
    }

    @Override public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        List<TestResult> all = new ArrayList<>();
        List<String> summary = new ArrayList<>();
        java.util.function.Consumer<TestResult> finished = t -> {
            all.add(t);
            summary.add(summaryLine(t));
            try {
                SuiteResults.write(out, all);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot write " + out.resolve("results.json"), e);
            }
        };
        for (SuiteStep step : steps()) {
            w.println();
            w.println("=== " + step.name());
            try {
                step.run(w, out, finished);
            } catch (java.io.UncheckedIOException e) {
                throw e; // results cannot be written: nothing further is worth running
            } catch (Exception e) { // one broken step must not cost the others: record it, go on
                w.println("step failed: " + e);
                finished.accept(new TestResult("suite-step " + step.name(), "suite", java.util.Map.of(), "failed", null,
                        String.valueOf(e), 0, 0, 0, List.of(), null, List.of(), java.util.Map.of()));
            }
        }
        w.println();
        w.println("=== summary (" + out.resolve("results.json") + ")");
        summary.forEach(w::println);
        long bad = all.stream().filter(SuiteCommand::isFindingOrFailure).count();
        if (bad > 0) w.println(bad + " test(s) failed or showed a FORBIDDEN outcome where none is allowed: exit 1");
        w.flush();
        return bad > 0 ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    /** A failed test, or a FORBIDDEN outcome in a test not declared unsafe (a finding). */
    static boolean isFindingOrFailure(TestResult t) {
        if ("failed".equals(t.status())) return true;
        return t.ran() && t.forbiddenCount() > 0 && !declaredUnsafe(t);
    }

    static boolean declaredUnsafe(TestResult t) {
        return t.params() != null && Boolean.FALSE.equals(t.params().get("expectedSafe"));
    }

    /**
     * One line per test: a FORBIDDEN outcome in a protocol declared unsafe is the race reproduced;
     * anywhere else it is a finding, marked !!!. Interesting outcomes are listed with their counts.
     */
    static String summaryLine(TestResult t) {
        if (!t.ran()) {
            return String.format("  %-44s %s", t.name(), t.skip() != null ? t.skip().line() : "FAILED: " + t.error());
        }
        String forbidden = counts(t, Grade.FORBIDDEN), interesting = counts(t, Grade.ACCEPTABLE_INTERESTING);
        boolean declaredUnsafe = declaredUnsafe(t);
        String verdict;
        if (forbidden.isEmpty()) verdict = declaredUnsafe ? "race NOT reproduced (protocol declared unsafe)" : "ok, no forbidden outcome";
        else verdict = declaredUnsafe ? "race reproduced (declared unsafe): " + forbidden : "!!! FORBIDDEN: " + forbidden;
        return String.format("  %-44s %s%s", t.name(), verdict, interesting.isEmpty() ? "" : "; interesting: " + interesting);
    }

    private static String counts(TestResult t, Grade grade) {
        return t.outcomes() == null ? "" : t.outcomes().stream().filter(o -> o.grade() == grade && o.count() > 0)
                .map(o -> o.id() + "=" + o.count()).collect(java.util.stream.Collectors.joining(", "));
    }
}
