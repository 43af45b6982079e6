package org.gpcrace.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gpcrace.report.NotesReport;
import org.gpcrace.result.TestResult;
import org.gpcrace.scenario.fairness.FairnessConfig;
import org.gpcrace.scenario.fairness.FairnessScenario;
import org.gpcrace.sys.AllowedCpus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `gpcrace run memslot-fairness`: the unfair memslot-update wait of seed 003, modelled, and the real kernel's. */
@Command(name = "memslot-fairness", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Seed 003's memslot update wait, modelled: invalidators with a duty cycle against an updater that waits"
                + " for the active count to reach zero (unfair-count, KVM's rcuwait) or takes a fair rwsem for write (fair-rwsem).",
                "A sweep over the duty cycle shows where the unfair wait explodes; with /dev/kvm the real kernel's memslot update"
                        + " latency with and without an invalidation stream is measured and shown alongside."})
public final class MemslotFairnessCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--duty", split = ",", paramLabel = "D[,D...]",
            description = "duty cycles to sweep, each in [0,1]; 0 = no invalidator (default: 0,0.25,0.5,0.75,0.9,0.95,0.99)")
    List<Double> duties = List.of(0.0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99);
    @Option(names = "--invalidators", paramLabel = "N", description = "invalidator threads (default: allowed CPUs - 1, at least 1)")
    Integer invalidators;
    @Option(names = "--period-us", paramLabel = "US", description = "one invalidator's cycle (default: ${DEFAULT-VALUE})")
    long periodUs = 20;
    @Option(names = "--overlap", paramLabel = "staggered|aligned",
            description = "staggered: invalidator i runs i/N of a period behind the first, so sections hand off; aligned: all in phase (default: ${DEFAULT-VALUE})")
    String overlap = "staggered";
    @Option(names = "--updates", paramLabel = "N", description = "memslot updates per point (default: ${DEFAULT-VALUE})")
    long updates = 300;
    @Option(names = "--updater-gap-us", paramLabel = "US", description = "pause between two updates (default: ${DEFAULT-VALUE})")
    long updaterGapUs = 50;
    @Option(names = "--bound-ms", paramLabel = "MS", description = "a wait longer than this is starved (default: ${DEFAULT-VALUE})")
    double boundMs = 1;
    @Option(names = "--wait-limit-ms", paramLabel = "MS", description = "the unfair wait gives up after this, counted starved (default: ${DEFAULT-VALUE})")
    double waitLimitMs = 20;
    @Option(names = "--budget-ms", paramLabel = "MS", description = "time limit per (variant, duty) point (default: ${DEFAULT-VALUE})")
    long budgetMs = 1500;
    @Option(names = "--kernel-pairs", paramLabel = "N",
            description = "memslot create/delete pairs per sub-phase of the real-kernel comparison; 0 skips it (default: ${DEFAULT-VALUE})")
    long kernelPairs = 200;
    @Option(names = "--out", paramLabel = "DIR", description = "output directory for results.json (default: ${DEFAULT-VALUE})")
    Path out = Path.of("gpcrace-results");

    FairnessConfig config() {
        List<Integer> cpus = AllowedCpus.list();
        int n = invalidators != null ? invalidators : Math.max(1, cpus.size() - 1);
        if (!overlap.equals("staggered") && !overlap.equals("aligned")) {
            throw new IllegalArgumentException("--overlap: expected staggered or aligned, got '" + overlap + "'");
        }
        return new FairnessConfig(n, Math.multiplyExact(periodUs, 1000L), duties, overlap.equals("staggered"), updates,
                Math.multiplyExact(updaterGapUs, 1000L), (long) (boundMs * 1e6), (long) (waitLimitMs * 1e6),
                Math.multiplyExact(budgetMs, 1_000_000L), cpus, kernelPairs);
    }

    @Override public Integer call() throws Exception {
        FairnessConfig c = config();
        PrintWriter w = spec.commandLine().getOut();
        List<TestResult> done = new ArrayList<>();
        try (InterruptGuard guard = new InterruptGuard("memslot-fairness")) {
            new FairnessScenario(GlobalOptions.bridge(), c, guard).run(t -> {
                done.add(t);
                NotesReport.print(w, t);
                try {
                    SuiteResults.write(out, done, c.asMap());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        return KvmPvclockCommand.exitCode(done);
    }

    /** The suite's short sweep: no invalidator, 0.5, 0.9, 0.99; 300 updates a point; the real kernel alongside. */
    static final class Step implements SuiteStep {
        @Override public String name() { return "memslot-fairness (unfair-count vs fair-rwsem, duty sweep, real kernel)"; }

        @Override public void run(PrintWriter out, Path outDir, java.util.function.Consumer<TestResult> finished) throws Exception {
            MemslotFairnessCommand m = new MemslotFairnessCommand();
            m.duties = List.of(0.0, 0.5, 0.9, 0.99);
            m.updates = 300;
            m.budgetMs = 1500;
            m.kernelPairs = 200;
            try (InterruptGuard guard = new InterruptGuard("memslot-fairness")) {
                new FairnessScenario(GlobalOptions.bridge(), m.config(), guard).run(t -> {
                    NotesReport.print(out, t);
                    finished.accept(t);
                });
            }
        }
    }
}
