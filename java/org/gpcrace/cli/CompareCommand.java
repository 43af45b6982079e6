package org.gpcrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gpcrace.compare.Comparison;
import org.gpcrace.compare.Input;
import org.gpcrace.compare.Inputs;
import org.gpcrace.report.CompareHtml;
import org.gpcrace.report.CompareReport;
import org.gpcrace.result.AtomicFiles;
import org.gpcrace.result.Json;
import org.gpcrace.result.ResultsDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `gpcrace compare`: one table, a row per test and outcome, a column per host, as mcompare7 lays
 * litmus logs from several machines side by side.
 * <ul>
 *   <li>{@code compare MODEL HOST...}: the first input is a model (gpcrace model, any simulator
 *       emitting results.json, or herd7 Observation lines): each host is judged against it.</li>
 *   <li>{@code compare HOST...} when the first input is a hardware run, or {@code compare --hosts
 *       HOST...} (litmus7 logs): no model; each host is judged against the expectations its tests
 *       declare (the declaration the run was graded by).</li>
 * </ul>
 * Per cell =, !!! Unexpected, Forgiven, Missing (with the skip reason); latency percentiles per
 * host with their spread; --json, --html. Exit 0 without Unexpected, 1 with any, 2 on bad input.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Compare hosts side by side, per test and outcome (=, !!! Unexpected, Forgiven, Missing), against a model or"
                + " against the expectations their tests declare; latency percentiles per host with their spread across hosts."
                + " Exit 1 on any Unexpected.",
                "  gpcrace compare MODEL HOST...     a model (kind model, or a herd7 log) first, then hosts",
                "  gpcrace compare HOST HOST...      hosts only (the first input is a hardware results.json)",
                "  gpcrace compare --hosts LOG...    hosts only, for litmus7 logs",
                "A HOST is a results.json, a run directory, or an --out root (its latest run)."})
public final class CompareCommand implements Callable<Integer> {
    /** The file name --html uses inside a directory. */
    public static final String HTML = "compare.html";

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "MODEL HOST..., or HOST... (see above)")
    List<Path> inputs;

    @Option(names = "--hosts", description = "every input is a host: no model column (automatic when the first input is a hardware results.json)")
    boolean hosts;

    @Option(names = "--tolerance", paramLabel = "PCT", description = "latency error (percent) past which a percentile is flagged (default: ${DEFAULT-VALUE})")
    String tolerance = "25";

    @Option(names = "--all", description = "also print rows where nothing was seen and none was expected")
    boolean all;

    @Option(names = "--json", description = "print the comparison as JSON")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE|DIR", description = "also write the comparison as a self-contained HTML page: FILE, or DIR/" + HTML)
    Path html;

    @Override public Integer call() throws IOException {
        double tol = tolerance();
        Path page = htmlTarget();
        Comparison.Result res = compare(tol);
        PrintWriter out = spec.commandLine().getOut();
        if (json) out.println(Json.write(CompareReport.json(res)));
        else CompareReport.print(out, res, all);
        out.flush();
        if (page != null) {
            AtomicFiles.write(page, CompareHtml.render(res));
            spec.commandLine().getErr().println("compare: wrote " + page);
        }
        return res.anyUnexpected() ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    private Comparison.Result compare(double tol) {
        if (hosts) return Comparison.compareHosts(open(inputs, Inputs.Side.HARDWARE), tol);
        Input first = Inputs.open(inputs.getFirst(), Inputs.Side.EITHER);
        List<Input> rest = open(inputs.subList(1, inputs.size()), Inputs.Side.HARDWARE);
        if (ResultsDocument.HARDWARE.equals(first.kind())) {
            List<Input> all = new ArrayList<>(List.of(first));
            all.addAll(rest);
            return Comparison.compareHosts(all, tol);
        }
        if (rest.isEmpty()) {
            throw new UserInputException(first.file() + ": a model needs at least one host after it"
                    + " (gpcrace compare MODEL HOST..., or gpcrace compare --hosts HOST... without a model)");
        }
        return Comparison.compare(first, rest, tol);
    }

    private static List<Input> open(List<Path> paths, Inputs.Side side) {
        List<Input> out = new ArrayList<>();
        for (Path p : paths) out.add(Inputs.open(p, side));
        return out;
    }

    /** Where --html writes: a directory's compare.html, or the file; refused before anything is read. */
    private Path htmlTarget() {
        if (html == null) return null;
        Path p = Files.isDirectory(html) ? html.resolve(HTML) : html;
        Path dir = p.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new UserInputException("--html: no such directory: " + dir);
        if (!Files.isWritable(dir)) throw new UserInputException("--html: cannot write in " + dir);
        return p;
    }

    private double tolerance() {
        String t = tolerance.endsWith("%") ? tolerance.substring(0, tolerance.length() - 1) : tolerance;
        try {
            double d = Double.parseDouble(t);
            if (!(d >= 0) || Double.isInfinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new UserInputException("--tolerance: expected a non-negative percentage such as 25 or 25% (got '" + tolerance + "')");
        }
    }
}
