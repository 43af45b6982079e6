package org.gpcrace.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.harness.RunDirectory;
import org.gpcrace.harness.Test;
import org.gpcrace.protocol.LockKind;
import org.gpcrace.protocol.NonblockPolicy;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.scenario.pressure.PressureConfig;
import org.gpcrace.scenario.pressure.PressureTest;
import org.gpcrace.sys.CpuList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `gpcrace run gpc-pressure`: the OOM reaper's forward progress when the cache's readers wait for memory. */
@Command(name = "gpc-pressure", mixinStandardHelpOptions = true, addMethodSubcommands = false, sortOptions = false,
        description = {"The OOM reaper's forward progress under real memory pressure (the PREEMPT_RT / GPC thread, May 2026):"
                + " a child process in a memory cgroup made for the run (v1 limit with oom_kill_disable, or cgroup2 memory.high)"
                + " runs readers that fault memory in while they use the cache (inside the SRCU read section for the SRCU"
                + " protocols, after the read side for rwlock) and a non-blockable reaper that must invalidate before it frees"
                + " the memory they wait for. reap-stall: the reaper waited past --stall-bound while readers waited for memory;"
                + " the wait chain is printed and broken by lending memory, and the run goes on.",
                "Under each --nonblock-policy in turn: sleep, spin, eagain (retry, then give the range up, as oom_reap_task),"
                        + " defer (the proposal NAKed on the KVM list, March 2026); the last result carries the table policy x"
                        + " (stale rounds, time-to-free p50/p99, memory released per second of reaping)."})
public final class RunGpcPressureCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--protocol", split = ",", paramLabel = "ID[,ID...]",
            description = "protocols (default: seqcount-srcu,rwlock): seqcount-srcu (the declared-unsafe control), rwlock (the safe"
                    + " twin), seqcount-srcu-unmap-only, seqcount, unlocked")
    List<String> protocols = List.of("seqcount-srcu", "rwlock");
    @Option(names = "--nonblock-policy", split = ",", paramLabel = "sleep|spin|eagain|defer[,...]",
            description = "policies (default: all four for the SRCU protocols, sleep for the others)")
    List<String> policies = List.of();
    @Option(names = "--lock", paramLabel = "spin|sleeping", description = "rwlock kind (default: ${DEFAULT-VALUE}: mainline rwlock_t)")
    String lock = "spin";
    @Option(names = "--readers", paramLabel = "N", description = "reader threads, 1..8 (default: ${DEFAULT-VALUE})")
    int readers = 2;
    @Option(names = "--rounds", paramLabel = "N", description = "rounds per policy (default: ${DEFAULT-VALUE})")
    int rounds = 20;
    @Option(names = "--alloc-pages", paramLabel = "N", description = "fresh pages a reader faults in per use of the cache (default: ${DEFAULT-VALUE})")
    int allocPages = 256;
    @Option(names = "--victim", paramLabel = "SIZE", description = "the range the reaper frees each round, e.g. 16M (default: ${DEFAULT-VALUE})")
    String victim = "16M";
    @Option(names = "--headroom", paramLabel = "SIZE",
            description = "the cgroup limit is the child's usage plus this; below the readers' demand (default: ${DEFAULT-VALUE})")
    String headroom = "512K";
    @Option(names = "--stall-bound", paramLabel = "TIME", description = "a longer reaper wait while readers wait for memory is a reap-stall (default: ${DEFAULT-VALUE})")
    String stallBound = "20ms";
    @Option(names = "--retry-gap", paramLabel = "TIME", description = "eagain: pause between attempts (oom_reap_task: HZ/10; default: ${DEFAULT-VALUE})")
    String retryGap = "1ms";
    @Option(names = "--max-retries", paramLabel = "N", description = "eagain: attempts before the range is given up (MAX_OOM_REAP_RETRIES: 10; default: ${DEFAULT-VALUE})")
    int maxRetries = 10;
    @Option(names = "--watchdog", paramLabel = "TIME", description = "the child is killed when no round ends this long (default: ${DEFAULT-VALUE})")
    String watchdog = "10s";
    @Option(names = "--cpus", paramLabel = "LIST", converter = CpuListConverter.class,
            description = "CPUs: the reaper and the defer worker on the first, readers on the others (default: the allowed CPUs)")
    CpuListConverter.Cpus cpus;
    @Mixin OutputOptions output;

    PressureConfig config() {
        List<Protocol> ps = protocols.stream().map(Protocol::byId).distinct().toList();
        List<NonblockPolicy> pol = policies.stream().map(NonblockPolicy::byId).distinct().toList();
        return new PressureConfig(ps, pol, LockKind.byId(lock), readers, rounds, allocPages, bytes(victim, "--victim"),
                bytes(headroom, "--headroom"), Durations.positive(stallBound, "--stall-bound").toNanos(),
                Durations.nanos(retryGap, 1_000_000L, "--retry-gap"), maxRetries, Durations.positive(watchdog, "--watchdog").toNanos(),
                cpus != null ? cpus.list() : CpuList.allowed());
    }

    /** 16M, 512K, 1G or a plain byte count. */
    static long bytes(String text, String option) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        long mult = t.endsWith("K") ? 1L << 10 : t.endsWith("M") ? 1L << 20 : t.endsWith("G") ? 1L << 30 : 1;
        String digits = mult == 1 ? t : t.substring(0, t.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(digits), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a size (examples: 512K, 16M, 1G, 8192)");
        }
    }

    static List<Test> tests(PressureConfig c, NativeBridge bridge) {
        return c.protocols().stream().map(p -> (Test) new PressureTest(c, p, bridge)).toList();
    }

    @Override public Integer call() {
        PressureConfig c = config();
        RunDirectory dir = output.directory("run-gpc-pressure");
        return TestRun.hardware(spec, output, dir, "run gpc-pressure", c.options(), tests(c, GlobalOptions.bridge()));
    }

    /** The suite's run: seqcount-srcu under every policy and rwlock's sleep, 20 rounds each (--quick: 5). */
    static List<Test> suiteTests(NativeBridge bridge, SuiteScale scale) {
        RunGpcPressureCommand m = new RunGpcPressureCommand();
        m.rounds = (int) scale.of(20, 5);
        return tests(m.config(), bridge);
    }
}
