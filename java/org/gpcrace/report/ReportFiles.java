package org.gpcrace.report;

import java.io.IOException;
import java.nio.file.Path;
import org.gpcrace.result.AtomicFiles;
import org.gpcrace.result.Json;
import org.gpcrace.result.ResultsDocument;

/** Writes results.json, report.html and junit.xml of one document into a directory, atomically. */
public final class ReportFiles {
    private ReportFiles() {}

    public static final String RESULTS = "results.json", HTML = "report.html", JUNIT = "junit.xml";

    public static void write(Path dir, ResultsDocument doc) throws IOException {
        Json.writeFile(dir.resolve(RESULTS), doc);
        AtomicFiles.write(dir.resolve(HTML), HtmlReport.render(doc));
        AtomicFiles.write(dir.resolve(JUNIT), JunitXmlReport.render(doc));
    }
}
