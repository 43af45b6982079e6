package org.gpcrace.measure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.ProbeNative;
import org.gpcrace.harness.TestContext;
import org.gpcrace.result.AtomicFiles;
import org.gpcrace.result.Skip;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.HostFacts;

/**
 * What a probe runs with (bridge, clock, options, host) and where its results go: each finished
 * test is handed to the sink (console + results.json), interval logs and CSVs go to --out.
 */
public final class ProbeContext {
    private final NativeBridge bridge;
    private final ProbeClock clock;
    private final LatencyOptions options;
    private final HostFacts host;
    private final TestContext test;
    private final MeasuredMm mm;
    private final List<Path> files = new ArrayList<>();
    private java.util.Set<String> crossChecks = java.util.Set.of();

    /**
     * {@code bridge} decides where the probes run: an isolated bridge (the actor process) or the
     * JVM's own. With the actor, its request-taking thread waits on the measuring CPU between
     * calls, so it never makes the measured mm active on a helper's CPU.
     */
    public ProbeContext(NativeBridge bridge, ProbeClock clock, LatencyOptions options, HostFacts host, TestContext test) {
        this.bridge = bridge;
        this.clock = clock;
        this.options = options;
        this.host = host;
        this.test = test;
        this.mm = new MeasuredMm(bridge);
        if (bridge instanceof org.gpcrace.bridge.Isolated i) i.home(options.measuringCpu());
        Recorder.warmUp();
    }

    /** The independent instruments to check the probes with ("trace"). */
    public ProbeContext crossChecks(java.util.Set<String> c) {
        crossChecks = java.util.Set.copyOf(c);
        return this;
    }

    public boolean crossCheck(String instrument) { return crossChecks.contains(instrument); }

    /** The bridge the probes run through (the actor's, or the JVM's). */
    public NativeBridge bridge() { return bridge; }
    /** The measured address space. */
    public MeasuredMm mm() { return mm; }

    /** One line: where the measured address space was, and what shares it. */
    public String isolationLine() {
        var i = mm.info();
        if (i.mode().equals("process")) {
            return "measured address space: the actor process, pid " + i.measuredPid() + " (" + i.measuredExe() + "), "
                    + (i.sharesJvmMm() == null ? "kcmp cannot compare it with the JVM's" : i.sharesJvmMm() ? "!!! the JVM's mm" : "not the JVM's mm (kcmp)")
                    + "; JVM threads in it: " + i.jvmThreadsInMm();
        }
        return "measured address space: the JVM's own (--isolation jvm): its " + i.jvmThreadsInMm()
                + " threads (JIT, GC, ...) may run in it on any CPU, and a zap then shoots their TLB entries down too";
    }

    /** A new test of this probe: its parameters and where its address space was. */
    TestBuilder test(String name, Map<String, Object> own) { return new TestBuilder(name, params(own), mm.info()); }

    /** A test that measures the JVM itself (the bridges), wherever the other probes run. */
    TestBuilder jvmTest(String name, Map<String, Object> own) {
        Map<String, Object> p = params(own);
        p.put("isolation", "jvm");
        return new TestBuilder(name, p, new MeasuredMm(mm.jvmBridge()).info());
    }
    public ProbeNative probeNative() { return bridge.probe(); }
    public ProbeClock clock() { return clock; }
    public LatencyOptions options() { return options; }
    public HostFacts host() { return host; }
    public Budget budget() { return options.budget(); }
    /** Files written so far (hlog, CSV). */
    public List<Path> files() { return files; }

    /** A finished test: the runner grades, prints and writes it. */
    public void emit(TestResult result) { test.report(result); }

    /** Ctrl-C was pressed: a probe ends at its next point with what it has. */
    public boolean stopRequested() { return test.stopRequested(); }

    /** Skips a test with a reason and a fix. */
    public void skip(String name, Map<String, Object> params, Skip skip) {
        emit(TestResult.skipped(name, "latency", params, skip));
    }

    /** Records a test that failed (the call, errno and message), so the probe's other tests still run. */
    public void fail(String name, Map<String, Object> params, Exception e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        emit(TestResult.failed(name, "latency", params, msg));
    }

    /** Why a probe that needs {@code helpers} helper CPUs besides the measuring one cannot run. */
    public Optional<Skip> needHelperCpus(int helpers, String why) {
        if (options.helperCpus().size() >= helpers) return Optional.empty();
        return Optional.of(new Skip(why + ": needs " + (helpers + 1) + " CPUs, --cpus gives " + options.cpus().size(),
                "run on a machine with more CPUs, or list more in --cpus"));
    }

    /** Why a probe that compares stamps taken on two CPUs cannot run without the TSC. */
    public Optional<Skip> needTsc(String why) {
        if (clock.tsc()) return Optional.empty();
        return Optional.of(new Skip(why + ": needs an invariant TSC (stamps from two CPUs are compared)",
                "run on a CPU that advertises constant_tsc and nonstop_tsc"));
    }

    /** Parameters every latency test records, plus its own. */
    public Map<String, Object> params(Map<String, Object> own) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("isolation", mm.isolated() ? "process" : "jvm");
        m.put("clock", clock.label());
        m.put("measuringCpu", options.measuringCpu());
        m.put("helperCpus", options.helperCpus());
        m.put("budget", options.budget().describe());
        m.put("histogram", "HdrHistogram, " + Recorder.SIGNIFICANT_DIGITS + " significant digits, 1 ns .. 100 s");
        m.putAll(own);
        return m;
    }

    public IntervalLog newLog(String probe) {
        return new IntervalLog("gpcrace latency --probe " + probe + ": one interval per chunk and metric; values in ns");
    }

    /** Writes the probe's interval logs (hlog/latency-PROBE.intervals/SERIES.hlog); returns the files written. */
    public List<Path> saveLog(String probe, IntervalLog log) throws IOException {
        List<Path> written = log.save(test.directory().resolve("latency-" + probe + ".hlog"));
        files.addAll(written);
        return written;
    }

    /** A file written into the run directory, as the run directory names it (hlog/..., latency-...csv). */
    public String relative(Path file) {
        Path dir = test.directory().toAbsolutePath();
        Path f = file.toAbsolutePath();
        return f.startsWith(dir) ? dir.relativize(f).toString() : f.getFileName().toString();
    }

    public Path saveCsv(String stem, Sweep sweep) throws IOException {
        Path p = test.directory().resolve("latency-" + stem + ".csv");
        AtomicFiles.write(p, sweep.csv());
        files.add(p);
        return p;
    }
}
