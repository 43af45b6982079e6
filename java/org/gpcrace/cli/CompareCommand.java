package org.gpcrace.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.gpcrace.compare.Comparison;
import org.gpcrace.compare.Input;
import org.gpcrace.compare.Inputs;
import org.gpcrace.report.CompareReport;
import org.gpcrace.result.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `gpcrace compare MODEL HARDWARE...`: judges a model (gpcrace model, any simulator emitting
 * results.json, or herd7 Observation lines) against hardware runs (gpcrace run, or litmus7
 * logs), per test and outcome: =, !!! Unexpected, Forgiven, Missing; plus latency percentiles.
 * Exit 0 without Unexpected, 1 with any, 2 on malformed or mismatched input.
 *
 *   gpcrace compare gpcrace-model gpcrace-results
 *   gpcrace compare herd.log litmus-run1.log litmus-run2.log --json
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare a model's Never/Sometimes/Always with hardware runs, per test and outcome"
                + " (=, !!! Unexpected, Forgiven, Missing), and latency percentiles. Exit 1 on any Unexpected.")
public final class CompareCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "model results.json (or its directory), or a herd7 log")
    Path model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "HARDWARE", description = "hardware results.json (or directories), or litmus7 logs")
    List<Path> hardware;

    @Option(names = "--tolerance", paramLabel = "PCT", description = "latency error (percent) past which a percentile is flagged (default: ${DEFAULT-VALUE})")
    String tolerance = "25";

    @Option(names = "--all", description = "also print rows where the model says Never and no hardware shows it")
    boolean all;

    @Option(names = "--json", description = "print the comparison as JSON")
    boolean json;

    @Override public Integer call() {
        double tol = tolerance();
        Input m = Inputs.open(model, Inputs.Side.MODEL);
        List<Input> hw = new ArrayList<>();
        for (Path p : hardware) hw.add(Inputs.open(p, Inputs.Side.HARDWARE));
        Comparison.Result res = Comparison.compare(m, hw, tol);
        PrintWriter out = spec.commandLine().getOut();
        if (json) out.println(Json.write(CompareReport.json(res)));
        else CompareReport.print(out, res, all);
        out.flush();
        return res.anyUnexpected() ? ExitCodes.FAILURE : ExitCodes.OK;
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
