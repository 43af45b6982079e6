package org.gpcrace.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The training run of the JDK's AOT cache (JEP 483/514/515), run by make: the commands a user
 * starts most, once each, so that the cache holds their classes loaded and linked and their
 * methods' profiles. Not a user command; its outputs go to a scratch directory and are dropped.
 *
 *   java -XX:AOTCacheOutput=target/gpcrace.aot -cp target/gpcrace.jar org.gpcrace.cli.AotTraining DIR
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/aot-training"));
        String out = dir.toString();
        List<List<String>> lines = List.of(
                List.of("--version"),
                List.of("--help"),
                List.of("run", "--help"),
                List.of("run", "gpc", "--protocol", "seqcount-srcu-unmap-only", "--stop-on-forbidden", "--rounds", "20000", "--seed", "1",
                        "--out", out),
                List.of("run", "gpc", "--protocol", "rwlock", "--rounds", "2000", "--out", out),
                List.of("latency", "--probe", "clock,madvise", "--sources", "dontneed", "--sizes", "4K", "--spinners", "0",
                        "--iterations", "200", "--out", out),
                List.of("run", "gpc", "--protocol", "nosuch", "--out", out)); // bad input: the one-line refusal path
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        new VersionProvider().getVersion();
        for (List<String> l : lines) Main.execute(l.toArray(String[]::new), sink, sink);
        System.exit(0);
    }
}
