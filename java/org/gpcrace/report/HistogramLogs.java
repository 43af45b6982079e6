package org.gpcrace.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.gpcrace.result.AtomicFiles;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.TestResult;

/**
 * HdrHistogram interval logs (.hlog, format 1.3) that HdrHistogram's own HistogramLogProcessor
 * reads as written: one latency series per file and no tags, because the processor reads only
 * untagged intervals unless told a tag (and fails on a log without any). Values are in ns, so
 * {@code HistogramLogProcessor -i FILE -outputValueUnitRatio 1} prints ns (its default divides by
 * 10^6, printing ms).
 *
 * <p>Every test's latencies go to {@code hlog/TEST/SERIES.hlog}, one interval spanning the test
 * (the histogram results.json carries, full resolution).
 */
public final class HistogramLogs {
    private HistogramLogs() {}

    /** The directory of the run where the logs go. */
    public static final String DIR = "hlog";

    /** One interval of a series: seconds from the log's start, and what was recorded in it. */
    public record Interval(double startSeconds, double endSeconds, Histogram histogram) {}

    /** One series' log, built in memory; {@link #save} writes it atomically. */
    public static final class Series {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final HistogramLogWriter writer;
        private int intervals;

        /** {@code comment} says what the series is (test, metric, clock, unit); the start is the epoch ms of second 0. */
        public Series(String comment, long startEpochMs) {
            writer = new HistogramLogWriter(new PrintStream(bytes, false, StandardCharsets.UTF_8));
            for (String line : comment.split("\\R")) writer.outputComment(line);
            writer.outputLogFormatVersion();
            writer.outputStartTime(startEpochMs);
            writer.setBaseTime(startEpochMs);
            writer.outputLegend();
        }

        /** Appends an interval; an empty histogram is left out (nothing to read in it). Untagged, whatever {@code h} carries. */
        public void add(double startSeconds, double endSeconds, Histogram h) {
            if (h.getTotalCount() == 0) return;
            String tag = h.getTag();
            h.setTag(null);
            try {
                writer.outputIntervalHistogram(startSeconds, endSeconds, h);
            } finally {
                h.setTag(tag);
            }
            intervals++;
        }

        public int intervals() { return intervals; }

        public void save(Path file) throws IOException {
            AtomicFiles.write(file, bytes.toByteArray());
        }
    }

    /**
     * A file name for a series: letters, digits and {@code . + -} kept, every other run of
     * characters one '_' ("invalidation (notifier start to end)" -> "invalidation_notifier_start_to_end").
     */
    public static String fileStem(String name) {
        String s = name.strip().replaceAll("[^A-Za-z0-9.+-]+", "_").replaceAll("^[_.]+|_+$", "");
        if (s.isEmpty()) s = "series";
        return s.length() > 120 ? s.substring(0, 120) : s;
    }

    /** The directory of one test's logs: hlog/TEST. */
    public static Path testDirectory(Path runDir, String testName) { return runDir.resolve(DIR).resolve(fileStem(testName)); }

    /**
     * Writes every latency of {@code t} that has samples: one log each, named after its metric
     * (made unique within the test), one interval spanning the test. Returns the files written.
     */
    public static List<Path> writeTest(Path runDir, TestResult t) throws IOException {
        List<Path> written = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long endMs = System.currentTimeMillis();
        long startMs = endMs - Math.round(t.durationSeconds() * 1000);
        for (LatencySummary l : t.latencies()) {
            if (l.hdr() == null || l.count() == 0) continue;
            String stem = fileStem(l.metric());
            for (int n = 2; !names.add(stem.toLowerCase(Locale.ROOT)); n++) stem = fileStem(l.metric()) + "-" + n;
            Series s = new Series("gpcrace " + t.scenario() + " test " + t.name() + ": " + l.metric() + "\n"
                    + "values in " + l.unit() + " (clock: " + l.clock() + "); one interval: the whole test", startMs);
            s.add(0, Math.max(t.durationSeconds(), 0.001), l.histogram());
            Path file = testDirectory(runDir, t.name()).resolve(stem + ".hlog");
            s.save(file);
            written.add(file);
        }
        return written;
    }
}
