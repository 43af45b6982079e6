package org.gpcrace.report;

import java.io.PrintWriter;
import java.util.List;
import org.gpcrace.result.TestResult;

/** A test's console block (ConsoleReport) followed by its derived figures (extra.notes), one per line. */
public final class NotesReport {
    private NotesReport() {}

    public static void print(PrintWriter out, TestResult t) {
        ConsoleReport.print(out, t);
        Object notes = t.extra() == null ? null : t.extra().get("notes");
        if (notes instanceof List<?> l) for (Object n : l) out.println("  " + n);
        out.flush();
    }
}
