package org.gpcrace.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gpcrace.CliRunner;
import org.gpcrace.compare.ResultsReader;
import org.gpcrace.result.ResultsDocument;

/**
 * One short real run of each command whose outputs the field reads, made once per test JVM and
 * shared by the tests that check those outputs (report pages in Chromium, .hlog files through
 * HistogramLogProcessor, junit.xml against Surefire's schema, compare on the saved console
 * output): a gpc run (a safe protocol and the unsafe control), latency (madvise and drain
 * sweeps), kvm-pvclock (a skip where there is no /dev/kvm), the model, and memslot-fairness (a
 * sweep as a table). Each command writes
 * under target/short-run/NAME, and its console output is kept there as console.log, so a person
 * can look at all of it after `make test`.
 */
public final class ShortRun {
    public static final Path ROOT = Path.of("target", "short-run");

    /** One command of the run: its output root, its run directory and what it printed. */
    public record Command(String name, List<String> args, Path root, CliRunner.Run run) {
        public Path dir() {
            try {
                return root.resolve("latest").toRealPath();
            } catch (IOException e) {
                throw new IllegalStateException(name + " made no run directory under " + root + ": " + run.err(), e);
            }
        }

        public Path file(String f) { return dir().resolve(f); }

        public Path console() { return root.resolve("console.log"); }

        public ResultsDocument document() throws IOException {
            Path r = file(ReportFiles.RESULTS);
            return ResultsReader.document(r.toString(), Files.readString(r));
        }
    }

    private static Map<String, Command> commands;

    /** The commands, in the order they ran: gpc, latency, kvm-pvclock, model, memslot-fairness. */
    public static synchronized Map<String, Command> get() throws IOException {
        if (commands != null) return commands;
        delete(ROOT);
        Map<String, Command> m = new LinkedHashMap<>();
        run(m, "gpc", "run", "gpc", "--protocol", "rwlock,unlocked", "--duration", "300ms", "--quiet");
        run(m, "latency", "latency", "--probe", "madvise,drain", "--sources", "dontneed", "--sizes", "4K,16K,64K", "--spinners", "0,1",
                "--readers", "0,1", "--iterations", "200", "--warmup", "20", "--quiet");
        run(m, "kvm-pvclock", "run", "kvm-pvclock", "--runs", "1500", "--calibration", "200", "--quiet");
        run(m, "model", "model", "--protocol", "rwlock,unlocked", "--lock", "spin", "--quiet");
        // a sweep as a table (TestResult.tables): charted per unit and written as CSV
        run(m, "memslot-fairness", "run", "memslot-fairness", "--duty", "0,0.9", "--updates", "30", "--budget-ms", "150",
                "--kernel-pairs", "0", "--quiet");
        commands = java.util.Collections.unmodifiableMap(m);
        return commands;
    }

    private static void run(Map<String, Command> m, String name, String... args) throws IOException {
        Path root = ROOT.resolve(name);
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--out", root.toString()));
        CliRunner.Run r = CliRunner.run(all.toArray(String[]::new));
        Files.createDirectories(root);
        Files.writeString(root.resolve("console.log"), r.out(), StandardCharsets.UTF_8);
        // every command here exits 0 on a healthy machine: the unsafe control reproduces, the rest is ok or skipped
        assertEquals(0, r.code(), name + " exit status; stdout:\n" + r.out() + "\nstderr:\n" + r.err());
        m.put(name, new Command(name, List.copyOf(all), root, r));
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
