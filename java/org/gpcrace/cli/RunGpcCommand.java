package org.gpcrace.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gpcrace.oracle.Protocol;
import org.gpcrace.report.GpcConsoleReport;
import org.gpcrace.result.Json;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.TestResult;
import org.gpcrace.scenario.gpc.AccessKind;
import org.gpcrace.scenario.gpc.GpcConfig;
import org.gpcrace.scenario.gpc.GpcResults;
import org.gpcrace.scenario.gpc.GpcRun;
import org.gpcrace.scenario.gpc.InvalidatorKind;
import org.gpcrace.scenario.gpc.LockKind;
import org.gpcrace.scenario.gpc.NonblockPolicy;
import org.gpcrace.scenario.gpc.Notifier;
import org.gpcrace.scenario.gpc.Placement;
import org.gpcrace.scenario.gpc.Source;
import org.gpcrace.sys.Backing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `gpcrace run gpc`: the userspace GPC race on this machine (DESIGN.md sections 1-3). One test
 * per protocol (and per lock kind for the rwlock-based ones); each prints the jcstress table,
 * the Observation line, rounds and rate, the first FORBIDDEN outcome and the race-window map,
 * and results.json is rewritten after every test.
 *
 * <pre>
 *   target/gpcrace run gpc --protocol rwlock,seqcount-srcu-unmap-only --duration 5s
 *   [gpc-seqcount-srcu-unmap-only]
 *     RESULT                        SAMPLES     FREQ  EXPECT       DESCRIPTION
 *     clean                           82734  99.668%  ACCEPTABLE   no reader used the invalidated generation ...
 *     stale-lost                        275   0.331%  FORBIDDEN    !!! use-after-invalidate: ... the frame being freed
 *     Observation gpc-seqcount-srcu-unmap-only Sometimes 276 82734
 *     first FORBIDDEN: stale-lost at round 37 after 1.196 ms
 *     verdict: race reproduced (expected: this protocol is unsafe)
 * </pre>
 * A FORBIDDEN row is a round in which a reader used the invalidated translation after the
 * notifier returned: a finding for a protocol expected to be safe (exit 1), the race reproduced
 * for an unsafe one.
 */
@Command(name = "gpc", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The userspace GPC / MMU-notifier race: protocol variants on real CPUs and real page-table operations,"
                + " judged per round by an exact oracle.",
                "Exit status 1 when a protocol expected to be safe shows a FORBIDDEN outcome, or on a hang or harness inconsistency."})
public final class RunGpcCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--protocol", paramLabel = "ID[,ID...]|all", split = ",",
            description = "protocols: rwlock, seqcount-srcu, seqcount-srcu-unmap-only, seqcount, unlocked, pinned,"
                    + " uffd-invalidate-then-read, uffd-read-then-invalidate, or all (default: all)")
    List<String> protocols = List.of("all");
    @Option(names = "--lock", paramLabel = "spin|sleeping[,...]", split = ",",
            description = "rwlock kind for rwlock and uffd-*: spin (rwlock_t) or sleeping (PREEMPT_RT); several run one test each (default: spin)")
    List<String> locks = List.of("spin");
    @Option(names = "--backing", paramLabel = "anon|shmem|thp|hugetlb", description = "guest memory (default: anon; shmem for pinned)")
    String backing;
    @Option(names = "--source", paramLabel = "SOURCE",
            description = "invalidation: dontneed, remove, punch-hole, free, pageout, mprotect, remap, collapse (default: dontneed; remap for pinned)")
    String source;
    @Option(names = "--pages", paramLabel = "N", description = "pages per invalidation, from the cached page on (default: ${DEFAULT-VALUE})")
    int pages = 1;
    @Option(names = "--readers", paramLabel = "N", description = "reader threads (vCPUs), 1..64 (default: ${DEFAULT-VALUE})")
    int readers = 1;
    @Option(names = "--cpus", paramLabel = "LIST", description = "CPUs for the actors, e.g. 0-3 or 0,2 (default: all this process may use)")
    String cpus;
    @Option(names = "--stride", paramLabel = "K", description = "accesses per reader per round, at least; readers go on until the invalidation ended (default: ${DEFAULT-VALUE})")
    int stride = GpcConfig.DEFAULT_STRIDE;
    @Option(names = "--access", paramLabel = "pvclock|counter", description = "one access: counter + 32-byte versioned pvclock-like write, or the counter only (default: ${DEFAULT-VALUE})")
    String access = "pvclock";
    @Option(names = "--access-ns", paramLabel = "NS", description = "extra busy work inside each access, ns (default: ${DEFAULT-VALUE})")
    int accessNs = 0;
    @Option(names = "--delay-range", paramLabel = "MIN:MAX", description = "invalidator start delay, ns (units ns/us/ms allowed); default: calibrated to 0 .. the readers' K-access loop")
    String delayRange;
    @Option(names = "--rounds", paramLabel = "N", description = "rounds per test (instead of --duration)")
    Long rounds;
    @Option(names = "--duration", paramLabel = "TIME", description = "time per test, e.g. 500ms, 5s, 1m (default: 2s)")
    String duration;
    @Option(names = "--nonblock", description = "non-blockable invalidation (OOM reaper): a step that would sleep counts as would-sleep")
    boolean nonblock;
    @Option(names = "--nonblock-policy", paramLabel = "sleep|spin|eagain", description = "after a would-sleep: sleep anyway, spin, or return EAGAIN and skip the zap (default: ${DEFAULT-VALUE})")
    String policy = "sleep";
    @Option(names = "--notifier", paramLabel = "hooks|uffd", description = "MMU-notifier hooks (hook protocols) or userfaultfd UFFD_EVENT_REMOVE (uffd-* protocols); default: what the protocol uses")
    String notifier;
    @Option(names = "--invalidator", paramLabel = "native|java", description = "invalidation step in a C thread or a Java thread through the bridge (default: ${DEFAULT-VALUE})")
    String invalidator = "native";
    @Option(names = "--seed", paramLabel = "N", description = "seed of the start-delay sequence (default: from the clock, recorded)")
    Long seed;
    @Option(names = "--watchdog", paramLabel = "TIME", description = "a round making no progress this long is a hang (default: 10s)")
    String watchdog = "10s";
    @Option(names = "--stop-on-forbidden", description = "end each test after the batch with its first FORBIDDEN outcome")
    boolean stopOnForbidden;
    @Option(names = "--refresh-retry-bound", paramLabel = "N", description = "refresh retries before refresh-livelock (default: ${DEFAULT-VALUE})")
    int refreshRetryBound = GpcConfig.DEFAULT_REFRESH_RETRY_BOUND;
    @Option(names = "--inject-hang-at-round", hidden = true, paramLabel = "N", description = "test hook: reader 0 stalls inside its read section in round N")
    long injectHang;
    @Option(names = "--out", paramLabel = "DIR", description = "output directory for results.json, report.html, junit.xml (default: ${DEFAULT-VALUE})")
    Path out = Path.of("gpcrace-results");
    @Option(names = "--json", description = "print results.json on stdout instead of the tables")
    boolean json;

    @Override public Integer call() throws Exception {
        List<GpcConfig> configs = configs();
        PrintWriter w = spec.commandLine().getOut();
        List<TestResult> done = new ArrayList<>();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("command", "run gpc");
        parameters.put("tests", configs.stream().map(GpcConfig::testName).toList());
        parameters.put("options", options());
        // Ctrl-C: the running test ends at its next batch with what it has, is written, and no further test starts
        try (InterruptGuard guard = new InterruptGuard("gpc")) {
            for (GpcConfig c : configs) {
                if (guard.stopRequested()) break;
                TestResult t = GpcRun.run(c, GlobalOptions.bridge(), guard);
                done.add(t);
                if (!json) {
                    GpcConsoleReport.print(w, t);
                    w.println();
                    w.flush();
                }
                SuiteResults.write(out, done, parameters);
            }
        }
        if (json) {
            w.println(Json.write(new ResultsDocument(ResultsDocument.SCHEMA, "hardware", "gpcrace", java.time.Instant.now().toString(),
                    org.gpcrace.sys.HostFacts.probe().asMap(), RunParameters.common(parameters), done)));
        } else {
            w.println("results: " + out.resolve("results.json"));
        }
        w.flush();
        return exitCode(done);
    }

    /** The command line's knobs as given (each test's params has them resolved). */
    private Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", protocols);
        m.put("lock", locks);
        m.put("backing", backing == null ? "per protocol" : backing);
        m.put("source", source == null ? "per protocol" : source);
        m.put("pages", pages);
        m.put("readers", readers);
        m.put("cpus", cpus == null ? "all allowed" : cpus);
        m.put("stride", stride);
        m.put("access", access);
        m.put("accessNs", accessNs);
        m.put("delayRange", delayRange == null ? "calibrated" : delayRange);
        m.put("rounds", rounds);
        m.put("duration", rounds == null ? (duration == null ? "2s" : duration) : null);
        m.put("nonblock", nonblock);
        m.put("nonblockPolicy", policy);
        m.put("notifier", notifier == null ? "per protocol" : notifier);
        m.put("invalidator", invalidator);
        m.put("seed", seed);
        m.put("watchdog", watchdog);
        m.put("stopOnForbidden", stopOnForbidden);
        m.put("refreshRetryBound", refreshRetryBound);
        return m;
    }

    /** 1 when a test failed or its verdict is a finding (an unexpected FORBIDDEN outcome, a hang). */
    static int exitCode(List<TestResult> tests) {
        for (TestResult t : tests) {
            if ("failed".equals(t.status())) return ExitCodes.FAILURE;
            if (t.extra() != null && "FINDING".equals(t.extra().get("verdict"))) return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    List<GpcConfig> configs() {
        List<Protocol> ps = new ArrayList<>();
        for (String p : protocols) {
            if (p.equals("all")) ps.addAll(List.of(Protocol.values()));
            else ps.add(Protocol.byId(p.strip()));
        }
        List<LockKind> ls = locks.stream().map(s -> LockKind.byId(s.strip())).distinct().toList();
        Backing b = backing == null ? null : Backing.byId(backing);
        Source src = source == null ? null : Source.byId(source);
        Notifier n = notifier == null ? null : Notifier.byId(notifier);
        List<Integer> cpuList = cpus == null ? List.of() : Placement.parseList(cpus);
        long[] delays = delayRange == null ? new long[] {-1, -1} : Units.range(delayRange, "--delay-range");
        if (rounds != null && duration != null) throw new UserInputException("give --rounds or --duration, not both");
        if (rounds != null && rounds <= 0) throw new UserInputException("--rounds must be positive, got " + rounds);
        Duration d = duration == null ? Duration.ofSeconds(2) : Units.duration(duration, "--duration");
        long s = seed != null ? seed : System.nanoTime() & Long.MAX_VALUE;
        List<GpcConfig> out = new ArrayList<>();
        for (Protocol p : ps.stream().distinct().toList()) {
            if (n != null && n != Notifier.of(p)) {
                throw new UserInputException("--notifier " + n.id() + " does not fit --protocol " + p.id() + ", which uses "
                        + Notifier.of(p).id() + " (the uffd-* protocols are the userfaultfd notifier)");
            }
            for (LockKind l : GpcConfig.lockMatters(p) ? ls : List.of(ls.get(0))) {
                out.add(GpcConfig.builder(p).lock(l).backing(b).source(src).pages(pages).readers(readers).cpus(cpuList)
                        .stride(stride).access(AccessKind.byId(access)).accessNs(accessNs).delayRange(delays[0], delays[1])
                        .rounds(rounds == null ? 0 : rounds).duration(d).nonblock(nonblock, NonblockPolicy.byId(policy))
                        .invalidator(InvalidatorKind.byId(invalidator)).seed(s).watchdog(Units.duration(watchdog, "--watchdog"))
                        .stopOnForbidden(stopOnForbidden).refreshRetryBound(refreshRetryBound).injectHangAtRound(injectHang)
                        .build());
            }
        }
        return out;
    }

    /** The suite's gpc step: every protocol for a few seconds, then which ones showed FORBIDDEN outcomes. */
    static final class Step implements SuiteStep {
        static final Duration PER_TEST = Duration.ofMillis(3500);

        @Override public String name() { return "gpc: every protocol on this machine (" + PER_TEST.toMillis() / 1000.0 + " s each)"; }

        static List<GpcConfig> configs(Duration perTest) {
            List<GpcConfig> cs = new ArrayList<>();
            long seed = System.nanoTime() & Long.MAX_VALUE;
            for (Protocol p : Protocol.values()) {
                for (LockKind l : p == Protocol.RWLOCK ? List.of(LockKind.SPIN, LockKind.SLEEPING) : List.of(LockKind.SPIN)) {
                    cs.add(GpcConfig.builder(p).lock(l).duration(perTest).seed(seed).build());
                }
            }
            return cs;
        }

        @Override public void run(PrintWriter out, Path outDir, java.util.function.Consumer<TestResult> finished) {
            List<TestResult> tests = new ArrayList<>();
            try (InterruptGuard guard = new InterruptGuard("gpc")) {
                for (GpcConfig c : configs(PER_TEST)) {
                    if (guard.stopRequested()) break;
                    TestResult t;
                    try {
                        t = GpcRun.run(c, GlobalOptions.bridge(), guard);
                    } catch (RuntimeException e) { // one protocol failing must not end the suite
                        t = new TestResult(c.testName(), "gpc", c.params(), "failed", null, String.valueOf(e.getMessage()), 0, 0, 0,
                                List.of(), null, List.of(), Map.of());
                    }
                    tests.add(t);
                    GpcConsoleReport.print(out, t);
                    out.println();
                    out.flush();
                    finished.accept(t);
                }
            }
            out.println("gpc summary:");
            for (TestResult t : tests) {
                String f = GpcResults.forbiddenSummary(t);
                String what = !t.ran() ? (t.skip() != null ? t.skip().line() : "FAILED: " + t.error())
                        : f.isEmpty() ? "no forbidden outcome" : "FORBIDDEN " + f;
                Object verdict = t.extra() == null ? null : t.extra().get("verdictText");
                out.printf("  %-44s %s%s%n", t.name(), what, verdict == null ? "" : "  [" + verdict + "]");
            }
        }
    }
}
