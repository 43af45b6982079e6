package org.gpcrace.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.gpcrace.result.AtomicFiles;
import org.gpcrace.result.Json;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.TestResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one run directory, written atomically; a failure names the file:
 * results.json, report.html, junit.xml, and per test its side files: every latency as an
 * HdrHistogram log (hlog/TEST/METRIC.hlog) and every table as CSV (csv/TEST/TABLE.csv).
 *
 * <p>The runner rewrites the files after each test; a test's report section and side files are
 * made once, when its result first appears (the same result object is not drawn again).
 */
public final class ReportFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ReportFiles.class);

    public static final String RESULTS = "results.json", HTML = "report.html", JUNIT = "junit.xml";

    private final Path dir;
    private final HtmlReport.Cache sections = new HtmlReport.Cache();
    private final Set<TestResult> sideFilesDone = Collections.newSetFromMap(new IdentityHashMap<>());

    public ReportFiles(Path dir) { this.dir = dir; }

    /** results.json, then report.html, junit.xml and the side files of results not written yet. */
    public void write(ResultsDocument doc) throws IOException {
        write(dir.resolve(RESULTS), Json.write(doc) + "\n");
        writeReports(doc);
    }

    /** report.html, junit.xml and the side files, from a document read back (the report command). */
    public void writeReports(ResultsDocument doc) throws IOException {
        long t0 = System.nanoTime();
        write(dir.resolve(HTML), HtmlReport.render(doc, sections));
        write(dir.resolve(JUNIT), JunitXmlReport.render(doc));
        int side = 0;
        for (TestResult t : doc.tests()) {
            if (!sideFilesDone.add(t)) continue;
            side += sideFiles(t).size();
        }
        LOG.debug("wrote {}, {} and {} in {} ms{}", dir.resolve(HTML), JUNIT, RESULTS, (System.nanoTime() - t0) / 1_000_000,
                side == 0 ? "" : " (and " + side + " hlog/csv files)");
    }

    /** Everything from scratch into {@code dir} (results.json included). */
    public static void write(Path dir, ResultsDocument doc) throws IOException { new ReportFiles(dir).write(doc); }

    private List<Path> sideFiles(TestResult t) throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        try {
            files.addAll(HistogramLogs.writeTest(dir, t));
            files.addAll(TableCsv.writeTest(dir, t));
        } catch (IOException e) {
            throw new IOException("the side files of " + t.name() + " in " + dir + ": " + message(e), e);
        }
        for (Path f : files) LOG.debug("wrote {}", f);
        return files;
    }

    private static void write(Path file, String content) throws IOException {
        try {
            AtomicFiles.write(file, content);
        } catch (IOException e) {
            throw new IOException(file + ": " + message(e), e);
        }
    }

    private static String message(IOException e) { return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(); }
}
