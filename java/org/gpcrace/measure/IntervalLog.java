package org.gpcrace.measure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.gpcrace.result.AtomicFiles;

/**
 * An HdrHistogram interval log (.hlog) for one probe: every chunk of every series is one tagged
 * interval (tag = metric name, spaces as '_'), time-stamped from the log's start. Kept in memory
 * and written atomically by {@link #save}; read it with HistogramLogReader or HistogramLogProcessor.
 */
public final class IntervalLog {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final HistogramLogWriter writer;
    private final long startNano = System.nanoTime();
    private int intervals;

    public IntervalLog(String comment) {
        writer = new HistogramLogWriter(new PrintStream(bytes, false, StandardCharsets.UTF_8));
        long startMs = System.currentTimeMillis();
        writer.outputComment(comment);
        writer.outputLogFormatVersion();
        writer.outputStartTime(startMs);
        writer.setBaseTime(startMs);
        writer.outputLegend();
    }

    /** A log tag may not hold ',' or whitespace. */
    static String tag(String metric) { return metric.trim().replaceAll("[\\s,]+", "_"); }

    synchronized void write(String tag, Histogram h, long startNano, long endNano) {
        if (h.getTotalCount() == 0) return;
        h.setTag(tag);
        writer.outputIntervalHistogram((startNano - this.startNano) / 1e9, (endNano - this.startNano) / 1e9, h);
        intervals++;
    }

    public synchronized int intervals() { return intervals; }

    public synchronized void save(Path file) throws IOException {
        AtomicFiles.write(file, bytes.toByteArray());
    }
}
