package org.gpcrace.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.gpcrace.harness.RunDirectory;
import org.gpcrace.scenario.fairness.FairnessConfig;
import org.gpcrace.scenario.fairness.FairnessTest;
import org.gpcrace.sys.CpuList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `gpcrace run memslot-fairness`: KVM's unfair memslot-update wait (kvm_swap_active_memslots), modelled, and the real kernel's. */
@Command(name = "memslot-fairness", mixinStandardHelpOptions = true, addMethodSubcommands = false, sortOptions = false,
        description = {"KVM's memslot update wait (\"Re: [PATCH v2 09/10] KVM: Don't take mmu_lock for range invalidation unless necessary\", Apr 2021), modelled: invalidators with a duty cycle against an updater that waits"
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
    @Mixin OutputOptions output;

    FairnessConfig config() {
        List<Integer> cpus = CpuList.allowed();
        int n = invalidators != null ? invalidators : Math.max(1, cpus.size() - 1);
        if (!overlap.equals("staggered") && !overlap.equals("aligned")) {
            throw new IllegalArgumentException("--overlap: expected staggered or aligned, got '" + overlap + "'");
        }
        return new FairnessConfig(n, Durations.scaled(periodUs, 1000L, "--period-us"), duties, overlap.equals("staggered"), updates,
                Durations.scaled(updaterGapUs, 1000L, "--updater-gap-us"), Durations.scaled(boundMs, 1_000_000L, "--bound-ms"),
                Durations.scaled(waitLimitMs, 1_000_000L, "--wait-limit-ms"),
                Durations.scaled(budgetMs, 1_000_000L, "--budget-ms"), cpus, kernelPairs);
    }

    @Override public Integer call() {
        FairnessConfig c = config();
        RunDirectory dir = output.directory("run-memslot-fairness");
        return TestRun.hardware(spec, output, dir, "run memslot-fairness", c.asMap(), List.of(new FairnessTest(c, GlobalOptions.bridge())));
    }

    /** The suite's short sweep: no invalidator, 0.5, 0.9, 0.99; 300 updates a point; the real kernel alongside. */
    static FairnessTest suiteTest(org.gpcrace.bridge.NativeBridge bridge, SuiteScale scale) {
        MemslotFairnessCommand m = new MemslotFairnessCommand();
        m.duties = scale.factor() < 1 ? List.of(0.0, 0.9) : List.of(0.0, 0.5, 0.9, 0.99);
        m.updates = scale.of(300, 50);
        m.budgetMs = scale.of(1500, 300);
        m.kernelPairs = scale.of(200, 50);
        return new FairnessTest(m.config(), bridge);
    }
}
