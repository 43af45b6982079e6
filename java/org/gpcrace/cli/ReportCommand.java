package org.gpcrace.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gpcrace.compare.ResultsFiles;
import org.gpcrace.compare.ResultsReader;
import org.gpcrace.report.ReportFiles;
import org.gpcrace.result.ResultsDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `gpcrace report RESULTS`: (re)writes report.html and junit.xml, and each test's latencies as
 * .hlog and tables as CSV, from a results file, a run directory or an output root (its latest
 * run). The file is read and checked as `compare` reads it (schema, counts, outcomes), every
 * verdict graded again; anything wrong is one line, exit 2.
 */
@Command(name = "report", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Write report.html (charts) and junit.xml from a results.json, a run directory or an output root (its latest run).")
public final class ReportCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RESULTS", description = "a results.json (hardware or model), a run directory, or an output root")
    Path results;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: the results file's directory)")
    Path out;

    @Override public Integer call() throws IOException {
        ResultsFiles.Text t = ResultsFiles.read(results);
        ResultsDocument doc = ResultsReader.document(t.file(), t.text());
        Path dir = out != null ? out : Path.of(t.file()).toAbsolutePath().getParent();
        if (out != null) org.gpcrace.harness.RunDirectory.checkWritable(out);
        Path html = dir.resolve(ReportFiles.HTML), junit = dir.resolve(ReportFiles.JUNIT);
        new ReportFiles(dir).writeReports(doc);
        spec.commandLine().getOut().println("wrote " + html + " and " + junit);
        return ExitCodes.OK;
    }
}
