package org.gpcrace.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.gpcrace.report.ReportFiles;
import org.gpcrace.result.Json;
import org.gpcrace.result.ResultsDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `gpcrace report RESULTS.json`: (re)writes report.html and junit.xml from a results file. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write report.html (charts) and junit.xml (FORBIDDEN outcomes as failures) from a results.json.")
public final class ReportCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RESULTS", description = "a results.json (hardware or model)")
    Path results;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: the results file's directory)")
    Path out;

    @Override public Integer call() throws IOException {
        if (!Files.isRegularFile(results)) throw new UserInputException(results + ": no such file");
        ResultsDocument doc;
        try {
            doc = Json.MAPPER.readValue(results.toFile(), ResultsDocument.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new UserInputException(results + ": not a gpcrace results file: " + e.getOriginalMessage());
        }
        Path dir = out != null ? out : results.toAbsolutePath().getParent();
        Path html = dir.resolve(ReportFiles.HTML), junit = dir.resolve(ReportFiles.JUNIT);
        org.gpcrace.result.AtomicFiles.write(html, org.gpcrace.report.HtmlReport.render(doc));
        org.gpcrace.result.AtomicFiles.write(junit, org.gpcrace.report.JunitXmlReport.render(doc));
        spec.commandLine().getOut().println("wrote " + html + " and " + junit);
        return ExitCodes.OK;
    }
}
