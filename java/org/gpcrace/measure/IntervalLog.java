package org.gpcrace.measure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.gpcrace.report.HistogramLogs;

/**
 * The interval logs (.hlog) of one probe: one log per series (metric), one interval per chunk,
 * time-stamped from the probe's start. One series per file and no tags, so HdrHistogram's
 * HistogramLogProcessor reads each as written (it reads only untagged intervals by default).
 * Kept in memory; {@link #save} writes them atomically.
 */
public final class IntervalLog {
    private final String comment;
    private final long startNano = System.nanoTime();
    private final long startMs = System.currentTimeMillis();
    private final Map<String, HistogramLogs.Series> series = new LinkedHashMap<>();
    private int intervals;

    public IntervalLog(String comment) {
        this.comment = comment;
    }

    /** A series' name as its file name and former log tag: no ',' or whitespace. */
    static String tag(String metric) { return metric.trim().replaceAll("[\\s,]+", "_"); }

    synchronized void write(String tag, Histogram h, long startNano, long endNano) {
        if (h.getTotalCount() == 0) return;
        series.computeIfAbsent(tag, t -> new HistogramLogs.Series(comment + "\nseries: " + t, startMs))
                .add((startNano - this.startNano) / 1e9, (endNano - this.startNano) / 1e9, h);
        intervals++;
    }

    public synchronized int intervals() { return intervals; }

    /**
     * Writes one log per series into {@code hlog/STEM.intervals/SERIES.hlog} of the directory that
     * {@code file} (RUN/STEM.hlog) names, and returns the files written; {@code file} itself is
     * not written (a log of several series would need tags).
     */
    public synchronized List<Path> save(Path file) throws IOException {
        String stem = file.getFileName().toString().replaceFirst("\\.hlog$", "");
        Path dir = file.toAbsolutePath().getParent().resolve(HistogramLogs.DIR).resolve(HistogramLogs.fileStem(stem) + ".intervals");
        List<Path> written = new ArrayList<>();
        for (var e : series.entrySet()) {
            Path f = dir.resolve(HistogramLogs.fileStem(e.getKey()) + ".hlog");
            e.getValue().save(f);
            written.add(f);
        }
        return written;
    }
}
