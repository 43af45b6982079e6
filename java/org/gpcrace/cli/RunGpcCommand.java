package org.gpcrace.cli;

import org.gpcrace.sys.CpuList;
import org.gpcrace.protocol.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.protocol.AccessKind;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridges.Isolation;
import org.gpcrace.harness.RunDirectory;
import org.gpcrace.harness.Test;
import org.gpcrace.scenario.gpc.GpcConfig;
import org.gpcrace.scenario.gpc.GpcTest;
import org.gpcrace.scenario.gpc.InvalidatorKind;
import org.gpcrace.protocol.LockKind;
import org.gpcrace.protocol.NonblockPolicy;
import org.gpcrace.protocol.Notifier;
import org.gpcrace.protocol.ReaderMode;
import org.gpcrace.protocol.RefreshMode;
import org.gpcrace.scenario.gpc.Placement;
import org.gpcrace.sys.Backing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `gpcrace run gpc`: the userspace GPC race on this machine (README: run gpc). One test
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
@Command(name = "gpc", mixinStandardHelpOptions = true, addMethodSubcommands = false, sortOptions = false,
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
    @Option(names = "--cpus", paramLabel = "LIST", converter = CpuListConverter.class,
            description = "CPUs for the actors, e.g. 0-3 or 0,2: the invalidator on the first, readers on the next (default: all this process may use)")
    CpuListConverter.Cpus cpus;
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
    @Option(names = "--nonblock-policy", paramLabel = "sleep|spin|eagain|defer|no-wait",
            description = "at a step that would wait: sleep anyway, spin, return EAGAIN before waiting (no zap), defer the waiting part"
                    + " to a worker (the zap goes on), or (guest readers) kick without waiting (default: ${DEFAULT-VALUE})")
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
    @Option(names = "--refresh", paramLabel = "retry|wait",
            description = "refresh vs running invalidations: retry (mainline hva_to_pfn_retry: while any invalidation runs or ran)"
                    + " or wait (2024 series: sleep while one covering the page is pending) (default: ${DEFAULT-VALUE})")
    String refresh = "retry";
    @Option(names = "--preempt-rt", description = "PREEMPT_RT: mn_invalidate_lock, gpc_lock, mmu_lock and gpc->lock become sleeping locks (implies --lock sleeping)")
    boolean preemptRt;
    @Option(names = "--reader-mode", paramLabel = "host|guest",
            description = "host: every access under the read side; guest: check, enter guest mode, use the frame with no lock until kicked (tgkill) (default: ${DEFAULT-VALUE})")
    String readerMode = "host";
    @Option(names = "--invalidations", paramLabel = "N", description = "invalidations of the cached page per round, 1..3 (default: ${DEFAULT-VALUE})")
    int invalidations = 1;
    @Option(names = "--invalidators", paramLabel = "N", description = "threads performing them: 1, or 2 overlapping (default: ${DEFAULT-VALUE})")
    int invalidators = 1;
    @Option(names = "--unmap-every", paramLabel = "N", description = "every Nth round's first invalidation is kvm_gpc_deactivate + activate (gpc_unmap); 0: never (default: ${DEFAULT-VALUE})")
    int unmapEvery = 0;
    @Option(names = "--storm", paramLabel = "PAGES", description = "a thread invalidates an unrelated range of PAGES pages throughout (mn_active_invalidate_count, not mmu_invalidate_seq); 0: none (default: ${DEFAULT-VALUE})")
    int stormPages = 0;
    @Option(names = "--storm-gap", paramLabel = "TIME", description = "the storm's pause between two invalidations, e.g. 500ns (default: 0)")
    String stormGap = "0";
    @Option(names = "--inject-hang-at-round", hidden = true, paramLabel = "N", description = "test hook: reader 0 stalls inside its read section in round N")
    long injectHang;
    @Mixin OutputOptions output;
    @Mixin IsolationOption isolation;

    @Override public Integer call() {
        List<GpcConfig> configs = configs();
        Isolation mode = isolationMode();
        RunDirectory dir = output.directory("run-gpc");
        var bridge = mode.bridge(GlobalOptions.bridge());
        return TestRun.hardware(spec, output, dir, "run gpc", options(), configs.stream().map(c -> new GpcTest(c, bridge)).toList());
    }

    /**
     * Where the actors run: the actor process by default; the JVM with --isolation jvm, and with
     * --invalidator java (a JVM thread), which --isolation process contradicts.
     */
    Isolation isolationMode() {
        boolean javaInvalidator = InvalidatorKind.byId(invalidator) == InvalidatorKind.JAVA;
        if (javaInvalidator && isolation.given() && isolation.mode(Isolation.JVM) == Isolation.PROCESS) {
            throw new UserInputException("--invalidator java runs the invalidator on a JVM thread: it needs --isolation jvm, not process");
        }
        return isolation.mode(javaInvalidator ? Isolation.JVM : Isolation.PROCESS);
    }

    /** The command line's knobs as given (each test's params has them resolved). */
    private Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("isolation", isolationMode().id());
        m.put("protocol", protocols);
        m.put("lock", locks);
        m.put("backing", backing == null ? "per protocol" : backing);
        m.put("source", source == null ? "per protocol" : source);
        m.put("pages", pages);
        m.put("readers", readers);
        m.put("cpus", cpus == null ? "all allowed" : CpuList.format(cpus.list()));
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
        m.put("refresh", refresh);
        m.put("preemptRt", preemptRt);
        m.put("readerMode", readerMode);
        m.put("invalidations", invalidations);
        m.put("invalidators", invalidators);
        m.put("unmapEvery", unmapEvery);
        m.put("storm", stormPages);
        m.put("stormGap", stormGap);
        return m;
    }

    List<GpcConfig> configs() {
        List<Protocol> ps = new ArrayList<>();
        for (String p : protocols) {
            if (p.equals("all")) ps.addAll(List.of(Protocol.values()));
            else ps.add(Protocol.byId(p.strip()));
        }
        List<LockKind> ls = locks.stream().map(s -> LockKind.byId(s.strip())).distinct().toList();
        Backing b = backing == null ? null : Backing.byId(backing);
        Source src = source == null ? null : Source.byId(source, Source.Scope.GPC);
        Notifier n = notifier == null ? null : Notifier.byId(notifier);
        List<Integer> cpuList = cpus == null ? List.of() : cpus.list();
        long[] delays = delayRange == null ? new long[] {-1, -1} : Durations.range(delayRange, "--delay-range");
        if (rounds != null && duration != null) throw new UserInputException("give --rounds or --duration, not both");
        if (rounds != null && rounds <= 0) throw new UserInputException("--rounds must be positive, got " + rounds);
        Duration d = duration == null ? Duration.ofSeconds(2) : Durations.positive(duration, "--duration");
        long s = seed != null ? seed : System.nanoTime() & Long.MAX_VALUE;
        RefreshMode rm = RefreshMode.byId(refresh);
        ReaderMode mode = ReaderMode.byId(readerMode);
        long gap = Durations.nanos(stormGap, 1, "--storm-gap");
        List<GpcConfig> out = new ArrayList<>();
        for (Protocol p : ps.stream().distinct().toList()) {
            if (n != null && n != Notifier.of(p)) {
                throw new UserInputException("--notifier " + n.id() + " does not fit --protocol " + p.id() + ", which uses "
                        + Notifier.of(p).id() + " (the uffd-* protocols are the userfaultfd notifier)");
            }
            for (LockKind l : p.lockMatters() ? ls : List.of(ls.get(0))) {
                out.add(GpcConfig.builder(p).lock(l).backing(b).source(src).pages(pages).readers(readers).cpus(cpuList)
                        .stride(stride).access(AccessKind.byId(access)).accessNs(accessNs).delayRange(delays[0], delays[1])
                        .rounds(rounds == null ? 0 : rounds).duration(d).nonblock(nonblock, NonblockPolicy.byId(policy))
                        .invalidator(InvalidatorKind.byId(invalidator)).seed(s).watchdog(Durations.positive(watchdog, "--watchdog"))
                        .stopOnForbidden(stopOnForbidden).refreshRetryBound(refreshRetryBound).injectHangAtRound(injectHang)
                        .refresh(rm).preemptRt(preemptRt).readerMode(mode).invalidations(invalidations).invalidators(invalidators)
                        .unmapEvery(unmapEvery).storm(stormPages, gap).build());
            }
        }
        return out;
    }

    /**
     * The suite's gpc tests: every protocol (rwlock with both lock kinds) for a few seconds each,
     * then the kernel paths past the first invalidation, each safe configuration beside a
     * declared-unsafe control under the same knobs: gpc_unmap in every other round (seqcount-srcu
     * safe; unmap-only's stale race without unmap-use; seqcount's unmap-use), the range-aware
     * refresh wait against two overlapping invalidations, the non-blockable policies eagain
     * (safe) and defer (stale), readers in guest mode waited for (safe) or not (no-wait: stale),
     * and PREEMPT_RT's sleeping locks with eagain (safe) or sleep (would-sleep). Where the race
     * needs a reader inside its read section, each access does 2-3 us of work.
     */
    static List<Test> suiteTests(NativeBridge bridge, Duration perTest) {
        List<Test> ts = new ArrayList<>();
        long seed = System.nanoTime() & Long.MAX_VALUE;
        for (Protocol p : Protocol.values()) {
            for (LockKind l : p == Protocol.RWLOCK ? List.of(LockKind.SPIN, LockKind.SLEEPING) : List.of(LockKind.SPIN)) {
                ts.add(new GpcTest(GpcConfig.builder(p).lock(l).duration(perTest).seed(seed).build(), bridge));
            }
        }
        for (Protocol p : List.of(Protocol.SEQCOUNT_SRCU, Protocol.SEQCOUNT_SRCU_UNMAP_ONLY, Protocol.SEQCOUNT)) {
            ts.add(new GpcTest(GpcConfig.builder(p).backing(Backing.SHMEM).source(Source.DONTNEED).unmapEvery(2).accessNs(2000).stride(4)
                    .duration(perTest).seed(seed).build(), bridge));
        }
        for (Protocol p : List.of(Protocol.SEQCOUNT_SRCU, Protocol.SEQCOUNT)) {
            ts.add(new GpcTest(GpcConfig.builder(p).refresh(RefreshMode.WAIT).invalidations(2).invalidators(2).accessNs(2000).stride(4)
                    .duration(perTest).seed(seed).build(), bridge));
        }
        for (NonblockPolicy pol : List.of(NonblockPolicy.EAGAIN, NonblockPolicy.DEFER)) {
            ts.add(new GpcTest(GpcConfig.builder(Protocol.SEQCOUNT_SRCU).nonblock(pol).accessNs(3000).stride(4)
                    .duration(perTest).seed(seed).build(), bridge));
        }
        ts.add(new GpcTest(GpcConfig.builder(Protocol.RWLOCK).readerMode(ReaderMode.GUEST).duration(perTest).seed(seed).build(), bridge));
        ts.add(new GpcTest(GpcConfig.builder(Protocol.RWLOCK).readerMode(ReaderMode.GUEST).nonblock(NonblockPolicy.NO_WAIT)
                .duration(perTest).seed(seed).build(), bridge));
        for (NonblockPolicy pol : List.of(NonblockPolicy.EAGAIN, NonblockPolicy.SLEEP)) {
            ts.add(new GpcTest(GpcConfig.builder(Protocol.RWLOCK).preemptRt(true).nonblock(pol).accessNs(3000).stride(4)
                    .duration(perTest).seed(seed).build(), bridge));
        }
        return ts;
    }
}
