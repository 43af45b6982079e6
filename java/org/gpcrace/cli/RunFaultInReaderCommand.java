package org.gpcrace.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.harness.RunDirectory;
import org.gpcrace.harness.Test;
import org.gpcrace.protocol.faultreader.FaultReaderVariant;
import org.gpcrace.scenario.faultreader.FaultReaderConfig;
import org.gpcrace.scenario.faultreader.FaultReaderTest;
import org.gpcrace.scenario.faultreader.RcuImpl;
import org.gpcrace.sys.CpuList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `gpcrace run fault-in-reader`: a page fault inside an RCU read-side section while the page migrates. */
@Command(name = "fault-in-reader", mixinStandardHelpOptions = true, addMethodSubcommands = false, sortOptions = false,
        description = {"A reader that faults inside an RCU read-side critical section while a migrator moves the page (the rcu list"
                + " thread on page faults inside RCU read-side critical sections during kernel page migration, January 2025):"
                + " the page is unmapped in a userfaultfd range, so the reader really faults and waits in the kernel; the migrator"
                + " copies it into a new frame (UFFDIO_COPY) and waits for a grace period before it frees the old one.",
                "Variants: spin-in-fault (the deadlock: the declared-unsafe control), wait-outside-reader, preallocate, srcu-domain"
                        + " (the fixes), srcu-domain-busted (the fix undone: a negative control). A watchdog sees the wait cycle"
                        + " reader -> fault -> migrator -> grace period -> reader, prints it, breaks it and the run goes on."})
public final class RunFaultInReaderCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--variant", split = ",", paramLabel = "ID[,ID...]|all",
            description = "variants (default: all): spin-in-fault, wait-outside-reader, preallocate, srcu-domain, srcu-domain-busted")
    List<String> variants = List.of("all");
    @Option(names = "--rcu", paramLabel = "urcu-memb|urcu-mb|gpcrace",
            description = "the global RCU domain: liburcu's memb or mb flavor (loaded on demand), or the project's SRCU (default: ${DEFAULT-VALUE})")
    String rcu = "urcu-memb";
    @Option(names = "--readers", paramLabel = "N", description = "reader threads (1-16, default: ${DEFAULT-VALUE})")
    int readers = 1;
    @Option(names = "--pages", paramLabel = "N", description = "pages per migration batch (2-32, default: ${DEFAULT-VALUE})")
    int pages = 2;
    @Option(names = "--batches", paramLabel = "N", description = "migration batches per variant (default: ${DEFAULT-VALUE})")
    long batches = 2000;
    @Option(names = "--time", paramLabel = "TIME", description = "time limit per variant, 0 for none (default: ${DEFAULT-VALUE})")
    String time = "2s";
    @Option(names = "--stall-bound", paramLabel = "TIME", description = "a longer grace period is a stall (default: ${DEFAULT-VALUE})")
    String stallBound = "500ms";
    @Option(names = "--hang-limit", paramLabel = "TIME",
            description = "a grace period this long with no cycle seen is broken as a hang (default: ${DEFAULT-VALUE})")
    String hangLimit = "2s";
    @Option(names = "--gap", paramLabel = "TIME", description = "the migrator's pause between batches (default: ${DEFAULT-VALUE})")
    String gap = "100us";
    @Option(names = "--no-detector", description = "turn the cycle detector off: only the hang limit ends a stuck grace period (a negative control of the watchdog)")
    boolean noDetector;
    @Option(names = "--cpus", paramLabel = "LIST", converter = CpuListConverter.class,
            description = "CPUs: the migrator and the watchdog on the first, readers on the others (default: the allowed CPUs)")
    CpuListConverter.Cpus cpus;
    @Mixin OutputOptions output;

    FaultReaderConfig config() {
        List<FaultReaderVariant> vs = variants.contains("all") ? List.of(FaultReaderVariant.values())
                : variants.stream().map(FaultReaderVariant::byId).distinct().sorted().toList();
        long limit = Durations.nanos(time, 1_000_000_000L, "--time");
        return new FaultReaderConfig(vs, RcuImpl.byId(rcu), readers, pages, batches, limit,
                Durations.positive(stallBound, "--stall-bound").toNanos(), Durations.positive(hangLimit, "--hang-limit").toNanos(),
                Durations.nanos(gap, 1_000L, "--gap"), !noDetector, cpus != null ? cpus.list() : CpuList.allowed());
    }

    static List<Test> tests(FaultReaderConfig c, NativeBridge bridge) {
        return c.variants().stream().map(v -> (Test) new FaultReaderTest(c, v, bridge)).toList();
    }

    @Override public Integer call() {
        FaultReaderConfig c = config();
        RunDirectory dir = output.directory("run-fault-in-reader");
        return TestRun.hardware(spec, output, dir, "run fault-in-reader", c.options(), tests(c, GlobalOptions.bridge()));
    }

    /** The suite's run: every variant, 300 batches or 1 s each (--quick: 30 or 100 ms), liburcu's memb flavor. */
    static List<Test> suiteTests(NativeBridge bridge, SuiteScale scale) {
        RunFaultInReaderCommand m = new RunFaultInReaderCommand();
        m.batches = scale.of(300, 30);
        m.time = scale.of(1000, 100) + "ms";
        return tests(m.config(), bridge);
    }
}
