package org.gpcrace.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridges.Isolation;
import org.gpcrace.harness.RunDirectory;
import org.gpcrace.harness.Test;
import org.gpcrace.scenario.memory.DontneedTest;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.Capabilities;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `gpcrace suite`: the default job (`make run`): the doctor table, then one list of tests, every
 * scenario that can run here (a scenario that cannot is a skip with its reason and fix), run by
 * the one runner, ending with a verdict per test. Exit 0 when every test is ok, reproduced its
 * race or was skipped; 1 on a finding or a failed test; 3 when a declared-unsafe control did not
 * reproduce its race.
 */
@Command(name = "suite", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Run the default suite on this machine: doctor, then every scenario that can run here, with a verdict per test.")
public final class SuiteCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin OutputOptions output;

    @Mixin IsolationOption isolation;

    @Option(names = "--gpc-time", paramLabel = "TIME", description = "time per gpc protocol (default: 3500ms; 300ms with --quick)")
    String gpcTime;

    @Option(names = "--quick", description = "a smoke test of a few seconds: every scenario, scaled down about tenfold")
    boolean quick;

    /** The suite's tests, in order. Each scenario adds its tests here. */
    static List<Test> tests(NativeBridge bridge, PrintWriter out, SuiteScale scale) { return tests(bridge, out, scale, Isolation.PROCESS); }

    static List<Test> tests(NativeBridge bridge, PrintWriter out, SuiteScale scale, Isolation mode) {
        List<Test> tests = new ArrayList<>();
        for (Backing b : List.of(Backing.ANON, Backing.SHMEM)) tests.add(new DontneedTest(b, bridge));
        tests.addAll(RunGpcCommand.suiteTests(mode.bridge(bridge), scale.gpcPerTest()));
        tests.addAll(LatencyCommand.suiteTests(out, scale, mode));
        tests.add(KvmPvclockCommand.suiteTest(bridge, scale));
        tests.add(new org.gpcrace.scenario.pin.PinTest(scale.of(500, 50), bridge));
        tests.add(MemslotFairnessCommand.suiteTest(bridge, scale));
        tests.addAll(RunFaultInReaderCommand.suiteTests(bridge, scale));
        tests.addAll(RunGpcPressureCommand.suiteTests(bridge, scale));
        return tests;
    }

    @Override public Integer call() {
        SuiteScale base = quick ? SuiteScale.QUICK : SuiteScale.FULL;
        SuiteScale scale = gpcTime == null ? base : new SuiteScale(Durations.positive(gpcTime, "--gpc-time"), base.factor());
        RunDirectory dir = output.directory("suite");
        PrintWriter w = spec.commandLine().getOut();
        if (!output.json) {
            w.println("=== doctor");
            Capabilities.probe(GlobalOptions.bridgeName()).print(w);
            w.println();
        }
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("quick", quick);
        options.put("gpcTimeMs", scale.gpcPerTest().toMillis());
        Isolation mode = isolation.mode(Isolation.PROCESS);
        options.put("isolation", mode.id());
        return TestRun.hardware(spec, output, dir, "suite", options, tests(GlobalOptions.bridge(), w, scale, mode));
    }
}
