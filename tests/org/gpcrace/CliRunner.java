package org.gpcrace;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.gpcrace.cli.Main;

/** Runs a gpcrace command line in-process and captures exit code, stdout and stderr. */
public final class CliRunner {
    private CliRunner() {}

    public record Run(int code, String out, String err) {}

    /** The results.json of the latest run under an output root. */
    public static java.nio.file.Path results(java.nio.file.Path root) { return root.resolve("latest").resolve("results.json"); }

    /** A file of the latest run under an output root. */
    public static java.nio.file.Path latest(java.nio.file.Path root, String file) { return root.resolve("latest").resolve(file); }

    public static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}
