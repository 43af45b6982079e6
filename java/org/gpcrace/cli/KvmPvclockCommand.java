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
@Command(name = "kvm-pvclock", mixinStandardHelpOptions = true, addMethodSubcommands = false, sortOptions = false,
        description = {"A live KVM gfn-to-pfn cache under invalidation: a real-mode vCPU whose kvmclock page KVM rewrites"
                + " through its pv_time GPC on every KVM_RUN, against every kind of invalidation a host sees. One test per source:"
                + " the race (judged by KVM's own notifier events where tracefs can be used), the sequential refresh and invalidation"
                + " costs, the kernel-side evidence. Needs /dev/kvm (skipped with the fix otherwise).",
                "Exit status 1 when a FORBIDDEN outcome (lost-update, hang) was seen or a test failed."})
public final class KvmPvclockCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--runs", paramLabel = "N", description = "KVM_RUNs of each source's race (default: ${DEFAULT-VALUE})")
    long runs = 20_000;
    @Option(names = "--source", paramLabel = "LIST",
            description = "invalidation sources, comma-separated, one test each: dontneed, free, remap, pageout, mprotect, collapse, split,"
                    + " ksm, migrate, fork, memslot; 'all' for every one; 'none' for no invalidator (default: ${DEFAULT-VALUE})")
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
    @Option(names = "--calibration", paramLabel = "N", description = "samples of each source's sequential phase: refresh cost,"
            + " the invalidation with and without the cache (default: ${DEFAULT-VALUE})")
    long calibration = 2000;
    @Option(names = "--sequential-budget-ms", paramLabel = "MS", description = "time at most for one sequential phase, at least 3 samples"
            + " (compaction and KSM are slow) (default: ${DEFAULT-VALUE})")
    long sequentialBudgetMs = 5000;
    @Option(names = "--trace", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "kernel-side evidence from a private tracefs instance, and the race judged by KVM's notifier events where"
                    + " the source allows (default: ${DEFAULT-VALUE}; --no-trace: system-call intervals only)")
    boolean trace = true;
    @Option(names = "--vcpus", paramLabel = "N", description = "with N >= 2, add two tests with N vCPUs (their structures on one page,"
            + " then on distinct pages): the race and the refresh contention (default: ${DEFAULT-VALUE})")
    int vcpus = 1;
    @Option(names = "--kick", description = "add the guest-mode kick test: an invalidation with the vCPU in guest mode, halted, not running")
    boolean kick;
    @Option(names = "--kick-samples", paramLabel = "N", description = "invalidations per vCPU state of --kick (default: ${DEFAULT-VALUE})")
    long kickSamples = 300;
    @Option(names = "--seed", description = "seed of the invalidator's delays (default: ${DEFAULT-VALUE})")
    long seed = 1;
    @Option(names = "--cpus", paramLabel = "V,I", description = "CPU of the vCPU actor, CPU of the invalidator (default: the first two allowed CPUs)")
    String cpus;
    @Option(names = "--busted", description = "negative control: the invalidator does not log its intervals and no trace judges, so zapped"
            + " updates show as lost-update")
    boolean busted;
    @Mixin OutputOptions output;

    PvclockConfig config() {
        int[] placement = placement(cpus);
        return new PvclockConfig(runs, sources(source), ClockUpdate.byId(clockUpdate), Durations.scaled(delayMaxUs, 1000L, "--delay-max-us"),
                Durations.scaled(vcpuGapMaxUs, 1000L, "--vcpu-gap-max-us"),
                storm ? (stormRuns != null ? stormRuns : runs) : 0, stormPages, stormTouch, Durations.scaled(runBoundMs, 1_000_000L, "--run-bound-ms"),
                Durations.scaled(hangMs, 1_000_000L, "--hang-ms"), memslotUpdates ? memslotPairs : 0, calibration,
                Durations.scaled(sequentialBudgetMs, 1_000_000L, "--sequential-budget-ms"), trace, vcpus, kick ? kickSamples : 0, seed,
                placement[0], placement[1], busted);
    }

    /** "all", "none", or a comma-separated list of kvm-pvclock sources (each once, in the order given). */
    static List<Source> sources(String spec) {
        if (spec.equals("all")) return Source.in(Source.Scope.KVM);
        if (spec.equals("none")) return List.of();
        List<Source> out = new java.util.ArrayList<>();
        for (String id : spec.split(",", -1)) {
            if (id.isBlank()) throw new IllegalArgumentException("--source has an empty entry: '" + spec + "'");
            if (id.trim().equals("none")) throw new IllegalArgumentException("--source none cannot be combined with other sources");
            Source s = PvclockSources.parse(id.trim());
            if (!out.contains(s)) out.add(s);
        }
        return out;
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

    /**
     * The suite's kvm-pvclock, bounded (about 30 s here at full scale): every source (3000 race
     * runs, up to 200 sequential samples or 1 s each), the storm, memslot updates, two vCPUs on one
     * page and on distinct pages, the guest-mode kick; --quick scales the counts down.
     */
    static PvclockTest suiteTest(NativeBridge bridge, SuiteScale scale) {
        KvmPvclockCommand k = new KvmPvclockCommand();
        k.source = "all";
        k.runs = scale.of(3000, 300);
        k.calibration = scale.of(200, 20);
        k.sequentialBudgetMs = scale.of(1000, 200);
        k.storm = true;
        k.stormRuns = scale.of(5000, 500);
        k.memslotUpdates = true;
        k.memslotPairs = scale.of(300, 50);
        k.vcpus = 2;
        k.kick = true;
        k.kickSamples = scale.of(200, 20);
        return new PvclockTest(k.config(), bridge);
    }
}
