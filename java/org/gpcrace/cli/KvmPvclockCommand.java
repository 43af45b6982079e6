package org.gpcrace.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gpcrace.report.NotesReport;
import org.gpcrace.result.TestResult;
import org.gpcrace.scenario.kvm.ClockUpdate;
import org.gpcrace.scenario.kvm.PvclockConfig;
import org.gpcrace.scenario.kvm.PvclockScenario;
import org.gpcrace.scenario.kvm.PvclockSource;
import org.gpcrace.sys.AllowedCpus;
import picocli.CommandLine.Command;
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
    @Option(names = "--out", paramLabel = "DIR", description = "output directory for results.json (default: ${DEFAULT-VALUE})")
    Path out = Path.of("gpcrace-results");

    PvclockConfig config() {
        int[] placement = placement(cpus);
        return new PvclockConfig(runs, PvclockSource.byId(source), ClockUpdate.byId(clockUpdate), Math.multiplyExact(delayMaxUs, 1000L),
                Math.multiplyExact(vcpuGapMaxUs, 1000L),
                storm ? (stormRuns != null ? stormRuns : runs) : 0, stormPages, stormTouch, (long) (runBoundMs * 1e6), Math.multiplyExact(hangMs, 1_000_000L),
                memslotUpdates ? memslotPairs : 0, calibration, seed, placement[0], placement[1], busted);
    }

    /** "V,I" or the first two allowed CPUs (the same CPU twice on a 1-CPU machine). */
    static int[] placement(String spec) {
        List<Integer> allowed = AllowedCpus.list();
        if (spec == null) return new int[] {allowed.get(0), allowed.get(Math.min(1, allowed.size() - 1))};
        String[] p = spec.split(",");
        if (p.length != 2) throw new IllegalArgumentException("--cpus takes two CPUs, vCPU and invalidator (e.g. 0,1), got '" + spec + "'");
        int[] r = new int[2];
        for (int i = 0; i < 2; i++) {
            try {
                r[i] = Integer.parseInt(p[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--cpus: '" + p[i] + "' is not a CPU number");
            }
            if (!allowed.contains(r[i])) throw new IllegalArgumentException("--cpus: CPU " + r[i] + " is not one this process may use " + allowed);
        }
        return r;
    }

    @Override public Integer call() throws Exception {
        PvclockConfig c = config();
        PrintWriter w = spec.commandLine().getOut();
        List<TestResult> done = new ArrayList<>();
        try (InterruptGuard guard = new InterruptGuard("kvm-pvclock")) {
            new PvclockScenario(GlobalOptions.bridge(), c, guard).run(t -> {
                done.add(t);
                NotesReport.print(w, t);
                writeResults(out, done, c);
            });
        }
        return exitCode(done);
    }

    private static void writeResults(Path dir, List<TestResult> tests, PvclockConfig c) {
        try {
            SuiteResults.write(dir, tests, c.asMap());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + dir.resolve("results.json") + ": " + e.getMessage(), e);
        }
    }

    static int exitCode(List<TestResult> tests) {
        for (TestResult t : tests) if ("failed".equals(t.status()) || t.forbiddenCount() > 0) return ExitCodes.FAILURE;
        return ExitCodes.OK;
    }

    /** The suite's short kvm-pvclock: race, storm and memslot phases. */
    static final class Step implements SuiteStep {
        @Override public String name() { return "kvm-pvclock (live KVM GPC, --storm --memslot-updates)"; }

        @Override public void run(PrintWriter out, Path outDir, java.util.function.Consumer<TestResult> finished) throws Exception {
            KvmPvclockCommand k = new KvmPvclockCommand();
            k.runs = 20_000;
            k.storm = true;
            k.stormRuns = 10_000L;
            k.memslotUpdates = true;
            k.memslotPairs = 500;
            k.calibration = 2000;
            PvclockConfig c = k.config();
            try (InterruptGuard guard = new InterruptGuard("kvm-pvclock")) {
                new PvclockScenario(GlobalOptions.bridge(), c, guard).run(t -> {
                    NotesReport.print(out, t);
                    finished.accept(t);
                });
            }
        }
    }
}
