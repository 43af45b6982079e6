package org.gpcrace.report;

import java.io.IOException;
import java.nio.file.Path;
import org.gpcrace.result.AtomicFiles;
import org.gpcrace.result.Json;
import org.gpcrace.result.ResultsDocument;

/** Writes results.json, report.html and junit.xml of one document into a directory, atomically; a failure names the file. */
public final class ReportFiles {
    private ReportFiles() {}

    public static final String RESULTS = "results.json", HTML = "report.html", JUNIT = "junit.xml";

    public static void write(Path dir, ResultsDocument doc) throws IOException {
        write(dir.resolve(RESULTS), Json.write(doc) + "\n");
        write(dir.resolve(HTML), HtmlReport.render(doc));
        write(dir.resolve(JUNIT), JunitXmlReport.render(doc));
    }

    private static void write(Path file, String content) throws IOException {
        try {
            AtomicFiles.write(file, content);
        } catch (IOException e) {
            throw new IOException(file + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }
}
