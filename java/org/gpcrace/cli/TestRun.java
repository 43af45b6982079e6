package org.gpcrace.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.gpcrace.harness.RunDirectory;
import org.gpcrace.harness.Runner;
import org.gpcrace.harness.Test;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.RunInfo;
import org.gpcrace.sys.HostFacts;
import picocli.CommandLine.Model.CommandSpec;

/** How every test-running command hands its tests to the one {@link Runner}. */
final class TestRun {
    private TestRun() {}

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TestRun.class);

    /** Runs {@code tests} on this machine into {@code dir}; returns the exit status the verdicts give. */
    static int hardware(CommandSpec spec, OutputOptions o, RunDirectory dir, String command, Map<String, Object> options,
            List<? extends Test> tests) {
        return run(spec, o, dir, ResultsDocument.HARDWARE, "gpcrace", command, options, tests);
    }

    static int run(CommandSpec spec, OutputOptions o, RunDirectory dir, String kind, String tool, String command,
            Map<String, Object> options, List<? extends Test> tests) {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        RunInfo run = new RunInfo(command, GlobalOptions.bridgeName(), IsolationOption.recorded(spec), System.getProperty("java.vm.name") + " " + Runtime.version(),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments(), VersionProvider.toolVersion(), RunInfo.buildCommit(), options);
        Runner.Settings s = new Runner.Settings(kind, tool, ResultsDocument.MODEL.equals(kind) ? null : HostFacts.probe().info(), run,
                o.json, o.progress());
        if (s.host() != null) {
            LOG.debug("host {}: kernel {}, {} ({} CPUs online: {}), THP {}, invariant TSC {}, nested {}", s.host().hostname(), s.host().kernel(),
                    s.host().cpuModel(), s.host().onlineCpus(), s.host().onlineCpuList(), s.host().thpMode(), s.host().invariantTsc(),
                    s.host().nested());
        }
        LOG.debug("{}: {} test(s), about {} s planned; options {}", command, tests.size(),
                String.format(java.util.Locale.ROOT, "%.1f", tests.stream().mapToDouble(Test::plannedSeconds).sum()), options);
        return new Runner(dir, s, out, err).run(tests).exitStatus();
    }
}
