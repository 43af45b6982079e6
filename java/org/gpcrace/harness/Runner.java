package org.gpcrace.harness;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.bridge.CapabilityMissingException;
import org.gpcrace.report.ConsoleReport;
import org.gpcrace.report.ReportFiles;
import org.gpcrace.result.Grading;
import org.gpcrace.result.HostInfo;
import org.gpcrace.result.Json;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.RunInfo;
import org.gpcrace.result.Skip;
import org.gpcrace.result.TestResult;
import org.gpcrace.result.Verdict;

/**
 * The only loop that runs tests. For each test, in order: progress, run, and for every result it
 * reports: the verdict from {@link Grading}, the console block, results.json / report.html /
 * junit.xml rewritten atomically. A test that cannot run here is a skip with its reason and fix,
 * one that throws is a failed test, and the run goes on. Ctrl-C ends the running test at its
 * next safe point and starts no other. The exit status comes from the verdicts.
 */
public final class Runner {
    /** What the run is and how it prints. */
    public record Settings(String kind, String tool, HostInfo host, RunInfo run, boolean json, Progress.Mode progress) {}

    /** Every graded result, whether Ctrl-C cut the run, and the exit status. */
    public record Summary(List<TestResult> results, boolean interrupted, int exitStatus, Path resultsFile) {}

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Runner.class);

    private final RunDirectory dir;
    private final Settings settings;
    private final PrintWriter out;
    private final PrintWriter err;
    private final String createdAt = Instant.now().toString();
    private final List<TestResult> results = new ArrayList<>();
    private final ReportFiles files;

    public Runner(RunDirectory dir, Settings settings, PrintWriter out, PrintWriter err) {
        this.dir = dir;
        this.settings = settings;
        this.out = out;
        this.err = err;
        this.files = new ReportFiles(dir.path());
    }

    public Summary run(List<? extends Test> tests) { return run(tests, new StopSignal()); }

    /** The same with a stop signal of the caller's (tests stop runs themselves). */
    public Summary run(List<? extends Test> tests, StopSignal stop) {
        try (stop; Progress progress = new Progress(err, settings.json() ? Progress.Mode.QUIET : settings.progress())) {
            double planned = tests.stream().mapToDouble(Test::plannedSeconds).sum();
            int started = 0;
            for (int i = 0; i < tests.size(); i++) {
                if (stop.stopRequested()) break;
                started++;
                Test t = tests.get(i);
                planned -= t.plannedSeconds();
                progress.begin(i + 1, tests.size(), t.name(), t.plannedSeconds(), Math.max(0, planned));
                LOG.debug("test {}/{} {} ({}): starts, about {} s planned", i + 1, tests.size(), t.name(), t.scenario(),
                        String.format(java.util.Locale.ROOT, "%.1f", t.plannedSeconds()));
                runOne(t, stop, progress);
            }
            progress.clear();
            write();
            if (!settings.json()) summary(stop.stopRequested(), tests.size() - started);
        }
        boolean cut = stop.stopRequested();
        int status = cut ? Grading.EXIT_INTERRUPTED : Grading.exitStatus(results);
        if (settings.json()) out.println(Json.write(document()));
        out.flush();
        return new Summary(Collections.unmodifiableList(results), cut, status, dir.file(ReportFiles.RESULTS));
    }

    private void runOne(Test t, StopSignal stop, Progress progress) {
        Ctx ctx = new Ctx(t, stop, progress);
        try {
            t.run(ctx);
        } catch (CapabilityMissingException e) {
            LOG.debug("{}: capability missing: {} (fix: {})", t.name(), e.reason(), e.fix());
            ctx.report(TestResult.skipped(ctx.nameForError(), t.scenario(), Map.of(), new Skip(e.reason(), e.fix())));
        } catch (UncheckedIOException e) {
            throw e; // results cannot be written: nothing further is worth running
        } catch (Exception | LinkageError e) {
            LOG.debug("{} failed", t.name(), e);
            ctx.report(TestResult.failed(ctx.nameForError(), t.scenario(), Map.of(), message(e)));
        }
        if (ctx.reported == 0) ctx.report(TestResult.failed(t.name(), t.scenario(), Map.of(), "the test reported no result"));
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private final class Ctx implements TestContext {
        private final Test test;
        private final StopSignal stop;
        private final Progress progress;
        int reported;

        Ctx(Test test, StopSignal stop, Progress progress) {
            this.test = test;
            this.stop = stop;
            this.progress = progress;
        }

        /** A failure after the test reported results keeps their names apart. */
        String nameForError() { return reported == 0 ? test.name() : test.name() + " (failed after " + reported + " result(s))"; }

        @Override public boolean stopRequested() { return stop.stopRequested(); }

        @Override public void progress(long done, String unit) { progress.work(done, unit); }

        @Override public Path directory() { return dir.path(); }

        @Override public void report(TestResult raw) {
            TestResult graded = Grading.grade(raw);
            LOG.debug("{}: {} {} in {} s, graded {}", graded.name(), graded.rounds(), graded.unit(),
                    String.format(java.util.Locale.ROOT, "%.2f", graded.durationSeconds()), ConsoleReport.verdictText(graded));
            reported++;
            results.add(graded);
            if (!settings.json()) {
                progress.clear();
                ConsoleReport.print(out, graded);
                out.println();
                out.flush();
            }
            write();
        }
    }

    private ResultsDocument document() {
        return new ResultsDocument(ResultsDocument.SCHEMA, settings.kind(), settings.tool(), createdAt, settings.host(),
                settings.run(), results);
    }

    private void write() {
        try {
            files.write(document());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results in " + dir.path() + ": " + e.getMessage(), e);
        }
    }

    /** One line per result with its verdict, then the counts and where the files are. */
    private void summary(boolean cut, int notStarted) {
        if (results.size() > 1 || cut) {
            out.println("=== summary");
            for (TestResult t : results) out.println(ConsoleReport.summaryLine(t));
            Map<Verdict, Integer> n = new EnumMap<>(Verdict.class);
            for (TestResult t : results) n.merge(t.verdict(), 1, Integer::sum);
            StringBuilder s = new StringBuilder("verdicts:");
            n.forEach((v, c) -> s.append(' ').append(c).append(' ').append(v.label()).append(','));
            s.setLength(s.length() - 1);
            out.println(s);
        }
        if (cut) out.println("interrupted (Ctrl-C): every finished result is written; tests not started: " + notStarted);
        out.println("results: " + dir.file(ReportFiles.RESULTS));
    }
}
