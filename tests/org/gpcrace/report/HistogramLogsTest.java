package org.gpcrace.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .hlog files are what HdrHistogram's own HistogramLogProcessor reads as written: every
 * latency of every command of the short run has its log, the processor reads each one without
 * a tag, and the total it prints is the count results.json gives (for the latency probes' interval
 * logs: summed over the chunks). A log of tagged intervals only, as the tool wrote before, is the
 * negative control: the processor fails on it.
 */
class HistogramLogsTest {
    private static final Pattern TOTAL = Pattern.compile("Total count\\s*=\\s*(\\d+)]");
    private static final Pattern MAX = Pattern.compile("#\\[Max\\s*=\\s*([0-9.]+),");

    /** What HistogramLogProcessor printed for a log (its percentile file), or why it failed. */
    static String process(Path hlog, Path out) throws Exception {
        Path o = out.resolve(hlog.getFileName() + ".out");
        HistogramLogProcessor p = new HistogramLogProcessor(new String[] {"-i", hlog.toString(), "-o", o.toString(), "-outputValueUnitRatio", "1", "-v"});
        p.run(); // on this thread: an exception fails the test with it
        return Files.readString(Path.of(o + ".hgrm"));
    }

    static long total(String hgrm, Path file) {
        Matcher m = TOTAL.matcher(hgrm);
        assertTrue(m.find(), file + ": no total in\n" + hgrm);
        return Long.parseLong(m.group(1));
    }

    @Test
    void everyLatencyOfEveryCommandHasALogThatHistogramLogProcessorReads(@TempDir Path out) throws Exception {
        int files = 0;
        for (ShortRun.Command c : ShortRun.get().values()) {
            Path dir = c.dir();
            List<Path> all;
            try (Stream<Path> s = Files.walk(dir.resolve(HistogramLogs.DIR))) {
                all = s.filter(p -> p.toString().endsWith(".hlog")).sorted().toList();
            } catch (java.nio.file.NoSuchFileException none) {
                all = List.of();
            }
            Map<Path, String> read = new HashMap<>();
            for (Path f : all) read.put(f, process(f, out));
            files += all.size();
            Map<String, Long> intervalTotals = new HashMap<>();
            for (TestResult t : c.document().tests()) {
                for (LatencySummary l : t.latencies()) {
                    if (l.count() == 0) continue;
                    // the whole test: one interval, the histogram of results.json
                    Path f = HistogramLogs.testDirectory(dir, t.name()).resolve(HistogramLogs.fileStem(l.metric()) + ".hlog");
                    assertTrue(read.containsKey(f), c.name() + ": no log for " + t.name() + " / " + l.metric() + " at " + f + " (have " + all + ")");
                    assertEquals(l.count(), total(read.get(f), f), f + ": the count results.json gives");
                    Matcher max = MAX.matcher(read.get(f));
                    assertTrue(max.find(), read.get(f));
                    Histogram h = l.histogram();
                    assertTrue(h.valuesAreEquivalent((long) Double.parseDouble(max.group(1)), h.getMaxValue()), f + ": max " + max.group(1));
                    intervalTotals.merge(HistogramLogs.fileStem(l.metric().trim().replaceAll("[\\s,]+", "_")), l.count(), Long::sum);
                }
            }
            // the latency probes' time-resolved logs: hlog/latency-PROBE.intervals/SERIES.hlog, chunks summing to the series
            for (Path f : all) {
                if (!f.getParent().getFileName().toString().endsWith(".intervals")) continue;
                String series = f.getFileName().toString().replaceFirst("\\.hlog$", "");
                assertTrue(intervalTotals.containsKey(series), f + ": a series results.json does not have");
                assertEquals(intervalTotals.get(series), total(read.get(f), f), f + ": chunks add up to the series");
            }
            if (c.name().equals("latency")) {
                assertTrue(all.stream().anyMatch(f -> f.toString().contains(".intervals/")), "latency writes interval logs: " + all);
            }
        }
        assertTrue(files >= 20, "the short run's logs: " + files);
    }

    /** Exactly as a user types it: the processor from the HdrHistogram jar, in a JVM of its own, on a log as written. */
    @Test
    void theCommandLineToolReadsALogWithoutBeingToldATag(@TempDir Path out) throws Exception {
        Path gpc = ShortRun.get().get("gpc").dir();
        Path log;
        try (Stream<Path> s = Files.walk(gpc.resolve(HistogramLogs.DIR))) {
            log = s.filter(p -> p.toString().endsWith(".hlog")).findFirst().orElseThrow();
        }
        Result r = tool(log, out);
        assertEquals(0, r.code(), r.err());
        assertTrue(TOTAL.matcher(r.out()).find() && !r.err().contains("Exception"), r.out() + r.err());
    }

    /** The negative control: a log whose every interval is tagged (the old format) makes the same tool fail. */
    @Test
    void aLogOfTaggedIntervalsOnlyIsWhatTheToolCannotRead(@TempDir Path out) throws Exception {
        Histogram h = new Histogram(3);
        h.recordValue(1000);
        h.setTag("dontneed_4K_sp0_op");
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        org.HdrHistogram.HistogramLogWriter w = new org.HdrHistogram.HistogramLogWriter(new java.io.PrintStream(b, true));
        w.outputLogFormatVersion();
        w.outputStartTime(0);
        w.outputLegend();
        w.outputIntervalHistogram(0, 1, h);
        Path tagged = out.resolve("tagged.hlog");
        Files.write(tagged, b.toByteArray());
        Result r = tool(tagged, out);
        assertTrue(r.code() != 0 || r.err().contains("NullPointerException"), "the tool reads no untagged interval here: " + r.out() + r.err());
    }

    record Result(int code, String out, String err) {}

    private static Result tool(Path log, Path dir) throws IOException, InterruptedException {
        String jar = Path.of(HistogramLogProcessor.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path o = dir.resolve("tool.out"), e = dir.resolve("tool.err");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", jar, "org.HdrHistogram.HistogramLogProcessor", "-i", log.toString()));
        Process p = new ProcessBuilder(cmd).redirectOutput(o.toFile()).redirectError(e.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("HistogramLogProcessor did not finish in 60 s on " + log);
        }
        return new Result(p.exitValue(), Files.readString(o), Files.readString(e));
    }
}
