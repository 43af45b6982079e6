package org.gpcrace.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gpcrace.bridge.Executables;

/**
 * gpcrace-plain (native/plain): the separate plain C process the tool compares itself with. It
 * shares no code with the library and runs in an address space of its own; each run prints one
 * line of "key value" pairs, read here.
 */
final class PlainProcess {
    static final long TIMEOUT_S = 120;

    private PlainProcess() {}

    /** will-it-scale tlb_flush1 in the plain process: loops per second. */
    static double tlbFlush1(long n, int cpu) {
        Map<String, Double> r = run("tlb-flush1", Long.toString(n), Integer.toString(cpu));
        return r.get("loops") * 1e9 / r.get("ns");
    }

    /** 1-page DONTNEED timed with the TSC in the plain process: n, min, p50, p90, p99, max (ns), tsc_hz. */
    static Map<String, Double> dontneedOp(long n, int cpu) {
        return run("dontneed-op", Long.toString(n), Integer.toString(cpu));
    }

    /** The GPC round's essential work (DONTNEED + refault while a thread on cpuB holds the mm): loops per second. */
    static double round(long n, int cpuA, int cpuB) {
        Map<String, Double> r = run("round", Long.toString(n), Integer.toString(cpuA), Integer.toString(cpuB));
        return r.get("loops") * 1e9 / r.get("ns");
    }

    /** The command line of a run, for the record. */
    static String command(String... args) { return Executables.PLAIN + " " + String.join(" ", args); }

    static Map<String, Double> run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Executables.path(Executables.PLAIN).toString());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command(args) + " did not finish in " + TIMEOUT_S + " s");
            }
            if (p.exitValue() != 0) throw new IllegalStateException(command(args) + " failed (exit " + p.exitValue() + "): " + out);
            return parse(out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command(args) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + command(args) + " ran");
        }
    }

    static Map<String, Double> parse(String line) {
        String[] f = line.trim().split("\\s+");
        Map<String, Double> m = new HashMap<>();
        for (int i = 0; i + 1 < f.length; i += 2) m.put(f[i], Double.parseDouble(f[i + 1]));
        return m;
    }
}
