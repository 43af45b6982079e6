package org.gpcrace.cli;

import org.gpcrace.scenario.kvm.PvclockSources;
import java.util.List;
import java.util.concurrent.Callable;
import org.gpcrace.scenario.kvm.ClockUpdate;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.harness.RunDirectory;
import org.gpcrace.scenario.kvm.PvclockConfig;
import org.gpcrace.scenario.kvm.PvclockTest;
import org.gpcrace.protocol.Source;
import org.gpcrace.sys.CpuList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `gpcrace run kvm-pvclock`: the real kernel's GPC (kvmclock pv_time) under invalidation. */
@Command(name = "kvm-pvclock", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A live KVM gfn-to-pfn cache under invalidation: a real-mode vCPU whose kvmclock page KVM rewrites"
                + " through its pv_time GPC on every KVM_RUN, against madvise of that page. Needs /dev/kvm (skipped with the fix otherwise).",
                "Exit status 1 when a FORBIDDEN outcome (lost-update, hang) was seen or a test failed."})
public final class KvmPvclockCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--runs", paramLabel = "N", description = "KVM_RUNs against the invalidator (default: ${DEFAULT-VALUE})")
    long runs = 20_000;
    @Option(names = "--source", paramLabel = "dontneed|free|remap|none",
            description = "how the invalidator takes the pvclock page away (default: ${DEFAULT-VALUE}); none: no invalidator")
    String source = "dontneed";
    @Option(names = "--clock-update", paramLabel = "kvmclock-ctrl|set-clock",
            description = "how each run asks for a pvclock write: KVM_KVMCLOCK_CTRL or KVM_GET/SET_CLOCK (default: ${DEFAULT-VALUE})")
    String clockUpdate = "kvmclock-ctrl";
    @Option(names = "--delay-max-us", paramLabel = "US", description = "invalidator's random busy-wait before each invalidation, 0..US (default: ${DEFAULT-VALUE})")
    long delayMaxUs = 30;
    @Option(names = "--vcpu-gap-max-us", paramLabel = "US", description = "vCPU actor's random busy-wait after each run, 0..US:"
            + " room for whole invalidations between runs (default: ${DEFAULT-VALUE})")
    long vcpuGapMaxUs = 10;
    @Option(names = "--storm", description = "add a phase with a storm of invalidations of an unrelated range (refresh inflation)")
    boolean storm;
    @Option(names = "--storm-runs", paramLabel = "N", description = "KVM_RUNs of the storm phase (default: --runs)")
    Long stormRuns;
    @Option(names = "--storm-pages", paramLabel = "N", description = "pages per storm invalidation (default: ${DEFAULT-VALUE})")
    long stormPages = 16;
    @Option(names = "--storm-touch", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "write every storm page before each madvise, so each zap frees frames and flushes TLBs (default: ${DEFAULT-VALUE})")
    boolean stormTouch = true;
    @Option(names = "--run-bound-ms", paramLabel = "MS", description = "a KVM_RUN longer than this is counted as slow-run (default: ${DEFAULT-VALUE})")
    double runBoundMs = 10;
    @Option(names = "--hang-ms", paramLabel = "MS", description = "a KVM_RUN longer than this is a hang and stops the run (default: ${DEFAULT-VALUE})")
    long hangMs = 10_000;
    @Option(names = "--memslot-updates", description = "add a phase that creates/deletes a second memslot, without and with an invalidation stream")
    boolean memslotUpdates;
    @Option(names = "--memslot-pairs", paramLabel = "N", description = "create+delete pairs per memslot sub-phase (default: ${DEFAULT-VALUE})")
    long memslotPairs = 1000;
    @Option(names = "--calibration", paramLabel = "N", description = "samples of the quiet madvise comparison (default: ${DEFAULT-VALUE})")
    long calibration = 2000;
    @Option(names = "--seed", description = "seed of the invalidator's delays (default: ${DEFAULT-VALUE})")
    long seed = 1;
    @Option(names = "--cpus", paramLabel = "V,I", description = "CPU of the vCPU actor, CPU of the invalidator (default: the first two allowed CPUs)")
    String cpus;
    @Option(names = "--busted", description = "negative control: the invalidator does not log its intervals, so zapped updates show as lost-update")
    boolean busted;
    @Mixin OutputOptions output;

    PvclockConfig config() {
        int[] placement = placement(cpus);
        return new PvclockConfig(runs, PvclockSources.parse(source), ClockUpdate.byId(clockUpdate), Durations.scaled(delayMaxUs, 1000L, "--delay-max-us"),
                Durations.scaled(vcpuGapMaxUs, 1000L, "--vcpu-gap-max-us"),
                storm ? (stormRuns != null ? stormRuns : runs) : 0, stormPages, stormTouch, Durations.scaled(runBoundMs, 1_000_000L, "--run-bound-ms"), Durations.scaled(hangMs, 1_000_000L, "--hang-ms"),
                memslotUpdates ? memslotPairs : 0, calibration, seed, placement[0], placement[1], busted);
    }

    /** "V,I" or the first two allowed CPUs (the same CPU twice on a 1-CPU machine). */
    static int[] placement(String spec) {
        List<Integer> allowed = CpuList.allowed();
        if (spec == null) return new int[] {allowed.get(0), allowed.get(Math.min(1, allowed.size() - 1))};
        List<Integer> r = CpuList.allowedSubset("--cpus", spec);
        if (r.size() != 2) throw new IllegalArgumentException("--cpus takes two CPUs, vCPU and invalidator (e.g. 0,1), got '" + spec + "'");
        return new int[] {r.get(0), r.get(1)};
    }

    @Override public Integer call() {
        PvclockConfig c = config();
        RunDirectory dir = output.directory("run-kvm-pvclock");
        return TestRun.hardware(spec, output, dir, "run kvm-pvclock", c.asMap(), List.of(new PvclockTest(c, GlobalOptions.bridge())));
    }

    /** The suite's kvm-pvclock: race, storm and memslot phases, shortened. */
    static PvclockTest suiteTest(NativeBridge bridge, SuiteScale scale) {
        KvmPvclockCommand k = new KvmPvclockCommand();
        k.runs = scale.of(20_000, 1000);
        k.storm = true;
        k.stormRuns = scale.of(10_000, 500);
        k.memslotUpdates = true;
        k.memslotPairs = scale.of(500, 50);
        k.calibration = scale.of(2000, 100);
        return new PvclockTest(k.config(), bridge);
    }
}
