package org.gpcrace.cli;

import java.nio.file.Path;
import org.gpcrace.harness.Progress;
import org.gpcrace.harness.RunDirectory;
import picocli.CommandLine.Option;

/** Options of every command that runs tests: where the run writes, JSON on stdout, progress. */
public final class OutputOptions {
    @Option(names = "--out", paramLabel = "DIR",
            description = "output root: each run writes its own directory under it (time-command) and points DIR/latest at it"
                    + " (default: gpcrace-results; gpcrace-model for the model)")
    Path out;

    @Option(names = "--json", description = "print results.json on stdout instead of the tables")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "no progress line on stderr")
    boolean quiet;

    /** Makes the run's directory now, before anything is measured: a bad --out is refused at once (exit 2). */
    RunDirectory directory(String command) { return RunDirectory.create(out != null ? out : Path.of(DEFAULT_ROOT), command); }

    /** The same under {@code defaultRoot} when --out is not given. */
    RunDirectory directory(String command, String defaultRoot) { return RunDirectory.create(out != null ? out : Path.of(defaultRoot), command); }

    static final String DEFAULT_ROOT = "gpcrace-results";

    Progress.Mode progress() { return Progress.modeFor(quiet); }
}
