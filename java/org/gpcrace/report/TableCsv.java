package org.gpcrace.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.gpcrace.result.AtomicFiles;
import org.gpcrace.result.Table;
import org.gpcrace.result.TestResult;

/**
 * A {@link Table} as CSV (RFC 4180): the header row is each column's {@link Table.Column#header()}
 * (name_unit, as results.json names the column and its unit), then one row per table row; whole
 * numbers print without a fraction, others with up to 6 significant digits.
 */
public final class TableCsv {
    private TableCsv() {}

    /** The directory of the run where the tables' CSV files go: csv/TEST/TABLE.csv. */
    public static final String DIR = "csv";

    public static String render(Table t) {
        StringBuilder b = new StringBuilder();
        List<String> head = new ArrayList<>();
        for (Table.Column c : t.columns()) head.add(field(c.header()));
        b.append(String.join(",", head)).append('\n');
        for (List<Double> row : t.rows()) {
            List<String> cells = new ArrayList<>();
            for (Double v : row) cells.add(number(v));
            b.append(String.join(",", cells)).append('\n');
        }
        return b.toString();
    }

    static String number(Double v) {
        if (v == null || v.isNaN()) return "";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString(v.longValue());
        return String.format(Locale.ROOT, "%.6g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1");
    }

    private static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** Writes every table of {@code t} as csv/TEST/TABLE.csv; returns the files written. */
    public static List<Path> writeTest(Path runDir, TestResult t) throws IOException {
        List<Path> written = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Table tb : t.tables()) {
            String stem = HistogramLogs.fileStem(tb.name());
            for (int n = 2; !names.add(stem.toLowerCase(Locale.ROOT)); n++) stem = HistogramLogs.fileStem(tb.name()) + "-" + n;
            Path file = runDir.resolve(DIR).resolve(HistogramLogs.fileStem(t.name())).resolve(stem + ".csv");
            AtomicFiles.write(file, render(tb));
            written.add(file);
        }
        return written;
    }
}
