package org.gpcrace.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.gpcrace.measure.Budget;
import org.gpcrace.sys.CpuList;
import org.gpcrace.protocol.Source;
import org.gpcrace.measure.LatencyOptions;
import org.gpcrace.measure.LatencyProbes;
import org.gpcrace.measure.ProbeClock;
import org.gpcrace.measure.ProbeTest;
import org.gpcrace.harness.RunDirectory;
import org.gpcrace.measure.Sizes;
import org.gpcrace.bridges.Isolation;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.HostFacts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `gpcrace latency`: page-invalidation latency probes. Each latency is an
 * HdrHistogram printed as the rcuscale block (count min p50 p90 p99 p99.9 max mean, ns) and
 * written to results.json; every probe writes an interval log (latency-PROBE.hlog) and every
 * sweep a CSV (x,p50,p90,p99,max). Example:
 * <pre>gpcrace latency --probe madvise --sources dontneed --sizes 4K,64K,2M --spinners 0,1</pre>
 */
@Command(name = "latency", mixinStandardHelpOptions = true, addMethodSubcommands = false, sortOptions = false,
        description = {"Measure page-invalidation latency: madvise/zap per source vs range size and CPUs,"
                + " TLB-shootdown visibility, refault, userfaultfd round trips, futex wake, bridge overhead, clock.",
                "Probes: clock, madvise, shootdown, refault, uffd-remove, drain, futex, bridge."})
public final class LatencyCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--probe", split = ",", paramLabel = "NAME",
            description = "probes to run, comma-separated, or all (default: all)")
    List<String> probes = List.of("all");

    @Option(names = "--iterations", paramLabel = "N", description = "recorded iterations per measurement point (default 1000)")
    Long iterations;

    @Option(names = "--duration", paramLabel = "TIME", description = "time per measurement point instead of --iterations (500ms, 2s)")
    String duration;

    @Option(names = "--warmup", paramLabel = "N", description = "iterations run first and discarded, per point (default: ${DEFAULT-VALUE})")
    long warmup = 100;

    @Option(names = "--sizes", split = ",", paramLabel = "SIZE",
            description = "madvise range sizes (4K .. 1G, whole pages; default 4K,8K,..,2M)")
    List<String> sizes;

    @Option(names = "--spinners", paramLabel = "LIST",
            description = "madvise: numbers of other CPUs reading the range (0-1, 0,1,3; default 0,1,2,4,.. up to CPUs-1)")
    String spinners;

    @Option(names = "--readers", paramLabel = "LIST",
            description = "drain: numbers of readers in their read-side sections, one per CPU (default like --spinners)")
    String readers;

    @Option(names = "--cpus", paramLabel = "LIST", converter = CpuListConverter.class,
            description = "CPUs to use: the first measures, the others run helpers (default: every CPU this process may use)")
    CpuListConverter.Cpus cpus;

    @Option(names = "--backing", split = ",", paramLabel = "B",
            description = "anon, shmem, thp, hugetlb (default: each probe's natural backing; refault: all four)")
    List<String> backings;

    @Option(names = "--sources", split = ",", paramLabel = "S",
            description = "madvise: dontneed, free, remove, pageout, cold, mprotect, remap, collapse (default: all)")
    List<String> sources;

    @Option(names = "--cross-check", split = ",", paramLabel = "trace",
            description = "an independent instrument beside the tool's clock: trace = the kernel's own syscalls:sys_enter/sys_exit_madvise"
                    + " on the x86-tsc trace clock (tracefs; root), its enter-to-exit percentiles beside the tool's (madvise probe)")
    List<String> crossChecks = List.of();

    @Mixin OutputOptions output;

    @Mixin IsolationOption isolation;

    @Override public Integer call() {
        LatencyOptions o = options();
        for (String c : crossChecks) {
            if (!c.equals("trace")) throw new IllegalArgumentException("--cross-check: unknown instrument '" + c + "' (expected trace)");
        }
        Isolation mode = isolation.mode(Isolation.PROCESS);
        RunDirectory dir = output.directory("latency");
        PrintWriter w = spec.commandLine().getOut();
        List<ProbeTest> tests = tests(o, w, output.json, mode).stream()
                .map(t -> new ProbeTest(t.probe(), t.bridge(), t.clock(), t.options(), t.host(), java.util.Set.copyOf(crossChecks))).toList();
        Map<String, Object> params = parameters(o);
        params.put("isolation", mode.id());
        params.put("crossCheck", crossChecks);
        return TestRun.hardware(spec, output, dir, "latency", params, tests);
    }

    /**
     * One test per probe of o, in order, run through the actor process (PROCESS) or in the JVM;
     * prints the clock and CPUs first (unless JSON is asked for).
     */
    static List<ProbeTest> tests(LatencyOptions o, PrintWriter w, boolean json, Isolation mode) {
        HostFacts host = HostFacts.probe();
        var bridge = mode.bridge(GlobalOptions.bridge());
        ProbeClock clock = ProbeClock.select(bridge.probe(), host);
        org.slf4j.LoggerFactory.getLogger(LatencyCommand.class).debug("latency: CPUs {} (measuring on cpu{}, helpers {}); clock {}", o.cpus(),
                o.measuringCpu(), o.helperCpus(), clock.label());
        if (!json) {
            w.println("gpcrace latency: " + String.join(", ", o.probes()) + "; " + o.budget().describe() + "; CPUs " + o.cpus()
                    + " (measuring on cpu" + o.measuringCpu() + "); clock: " + clock.label() + "; isolation: " + mode.id());
            w.flush();
        }
        return o.probes().stream().map(id -> new ProbeTest(LatencyProbes.byId(id), bridge, clock, o, host)).toList();
    }

    /** Validates the command line into LatencyOptions; bad input throws IllegalArgumentException (exit 2). */
    LatencyOptions options() {
        List<String> ids = LatencyProbes.ids();
        List<String> chosen = new ArrayList<>();
        for (String p : probes) {
            if (p.equals("all")) { chosen.addAll(ids); continue; }
            LatencyProbes.byId(p);
            chosen.add(p);
        }
        List<String> ordered = ids.stream().filter(chosen::contains).toList();
        if (iterations != null && duration != null) throw new IllegalArgumentException("--iterations and --duration exclude each other");
        if (iterations != null && iterations < 1) throw new IllegalArgumentException("--iterations must be at least 1, got " + iterations);
        if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        Budget budget = duration != null ? Budget.duration(Durations.positive(duration, "--duration"), warmup)
                : Budget.iterations(iterations != null ? iterations : 1000, warmup);
        List<Long> sz = sizes == null ? Sizes.defaults() : new ArrayList<>(new TreeSet<>(sizes.stream().map(Sizes::parse).toList()));
        List<Integer> cpuList = cpus == null ? CpuList.allowed() : cpus.list();
        int helpers = cpuList.size() - 1;
        List<Integer> sp = spinners == null ? defaultSpinners(helpers) : new ArrayList<>(new TreeSet<>(CpuList.parse("--spinners", spinners)));
        for (int s : sp) {
            if (s > helpers) {
                throw new IllegalArgumentException("--spinners " + s + ": only " + helpers + " CPU(s) besides the measuring one in --cpus "
                        + cpuList + " (each spinner needs its own CPU)");
            }
        }
        List<Integer> rd = readers == null ? defaultSpinners(helpers) : new ArrayList<>(new TreeSet<>(CpuList.parse("--readers", readers)));
        for (int r : rd) {
            if (r > helpers) {
                throw new IllegalArgumentException("--readers " + r + ": only " + helpers + " CPU(s) besides the measuring one in --cpus "
                        + cpuList + " (each reader needs its own CPU)");
            }
        }
        List<Backing> bk = backings == null ? List.of() : backings.stream().map(Backing::byId).distinct().toList();
        List<Source> src = sources == null ? Source.in(Source.Scope.LATENCY)
                : sources.stream().map(s -> Source.byId(s, Source.Scope.LATENCY)).distinct().toList();
        return new LatencyOptions(ordered, budget, sz, sp, rd, cpuList, bk, src);
    }

    /** 0, 1, 2, 4, ... and the largest possible: the fan-out curve without a point per CPU. */
    static List<Integer> defaultSpinners(int helpers) {
        TreeSet<Integer> s = new TreeSet<>();
        s.add(0);
        for (int k = 1; k <= helpers; k *= 2) s.add(k);
        s.add(helpers);
        return new ArrayList<>(s);
    }

    static Map<String, Object> parameters(LatencyOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "latency");
        m.put("probes", o.probes());
        m.put("iterations", o.budget().timed() ? null : o.budget().iterations());
        m.put("durationMs", o.budget().timed() ? o.budget().duration().toMillis() : null);
        m.put("warmup", o.budget().warmup());
        m.put("sizes", o.sizes().stream().map(Sizes::label).toList());
        m.put("spinners", o.spinners());
        m.put("readers", o.readers());
        m.put("cpus", o.cpus());
        m.put("backings", o.backings().isEmpty() ? "natural per probe" : o.backings().stream().map(Backing::id).toList());
        m.put("sources", o.sources().stream().map(Source::id).toList());
        return m;
    }

    /**
     * The suite's short latency pass (a few seconds): clock, madvise DONTNEED of one page with 0
     * and 1 spinner (and the apparatus ratio), shootdown, refault, futex, bridge.
     */
    static List<ProbeTest> suiteTests(PrintWriter out, SuiteScale scale) { return suiteTests(out, scale, Isolation.PROCESS); }

    static List<ProbeTest> suiteTests(PrintWriter out, SuiteScale scale, Isolation mode) {
        List<Integer> cpus = CpuList.allowed();
        List<Integer> sp = cpus.size() > 1 ? List.of(0, 1) : List.of(0);
        LatencyOptions o = new LatencyOptions(List.of("clock", "madvise", "shootdown", "refault", "futex", "bridge"),
                Budget.iterations(scale.of(1000, 100), scale.of(100, 20)), List.of(Sizes.PAGE), sp, sp, cpus, List.of(), List.of(Source.DONTNEED));
        return tests(o, out, false, mode);
    }
}
