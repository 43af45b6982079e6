package org.gpcrace.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.gpcrace.CliRunner;
import org.gpcrace.CliRunner.Run;
import org.gpcrace.result.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** `gpcrace latency` on the command line: bad options, outputs (results.json, .hlog, CSV), refusals. */
class LatencyCommandTest {
    @TempDir Path out;

    @ParameterizedTest
    @ValueSource(strings = {"--probe nosuch", "--probe clock,bogus", "--sizes 3000", "--sizes 2G", "--sizes lots",
            "--iterations 0", "--iterations 10 --duration 1s", "--duration fast", "--duration -2s", "--warmup -1",
            "--cpus 9999", "--cpus 0,0", "--cpus x", "--spinners 64", "--readers 64", "--backing floppy", "--sources nope",
            "--iterations many"})
    void badOptionIsOneLineAndExitTwo(String line) {
        List<String> args = new ArrayList<>(List.of("latency", "--out", out.toString()));
        args.addAll(List.of(line.split(" ")));
        Run r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, got: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(CliRunner.results(out)), "nothing measured");
    }

    @Test
    void writesResultsIntervalLogsAndOneCsvPerSweep() throws Exception {
        Run r = CliRunner.run("latency", "--probe", "madvise", "--sources", "dontneed", "--sizes", "4K,8K,16K", "--spinners", "0",
                "--iterations", "200", "--warmup", "20", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("LATENCY (ns)") && r.out().contains("p99.9"), "the rcuscale block: " + r.out());
        assertTrue(r.out().contains("COST GROWTH"), r.out());
        assertTrue(r.out().contains("apparatus:") && r.out().contains("ratio"), r.out());
        JsonNode doc = Json.MAPPER.readTree(CliRunner.results(out).toFile());
        JsonNode t = doc.get("tests").get(0);
        assertEquals("latency-madvise-dontneed", t.get("name").asText());
        assertEquals(6, t.get("latencies").size(), "3 sizes x 2 modes");
        for (JsonNode l : t.get("latencies")) {
            assertEquals(200, l.get("count").asLong());
            assertEquals("ns", l.get("unit").asText());
            assertTrue(l.get("clock").asText().length() > 3, "every latency states its clock");
        }
        // CSV per sweep: size sweeps for op and op+refault (the single spinner count makes no spinner sweep)
        Path csv = CliRunner.latest(out, "latency-madvise-dontneed-op-sp0-vs-size.csv");
        List<String> lines = Files.readAllLines(csv);
        assertEquals("range_bytes,p50_ns,p90_ns,p99_ns,max_ns", lines.get(0), "columns named as in results.json, with units");
        assertEquals(4, lines.size());
        assertTrue(lines.get(1).startsWith("4096,"), lines.get(1));
        assertTrue(Files.exists(CliRunner.latest(out, "latency-madvise-dontneed-op+refault-sp0-vs-size.csv")));
        assertEquals("latency", t.get("extra").get("type").asText());
        JsonNode growth = t.get("extra").get("growth").get(0);
        assertTrue(growth.has("p50SlopeNs") && growth.get("per").asText().equals("page"), growth.toString());
        assertEquals(3, growth.get("points").asInt(), growth.toString());
        // the interval logs: one per series (untagged, so HistogramLogProcessor reads each as written),
        // read back with HdrHistogram's own reader
        Path dir = CliRunner.latest(out, "hlog/latency-madvise.intervals");
        long total = 0;
        for (String series : List.of("dontneed_4K_sp0_op", "dontneed_8K_sp0_op", "dontneed_16K_sp0_op", "dontneed_4K_sp0_op+refault",
                "dontneed_8K_sp0_op+refault", "dontneed_16K_sp0_op+refault")) {
            HistogramLogReader reader = new HistogramLogReader(new File(dir.resolve(series + ".hlog").toString()));
            for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
                assertEquals(null, h.getTag(), "untagged");
                total += ((org.HdrHistogram.Histogram) h).getTotalCount();
            }
        }
        assertEquals(6 * 200, total, "every recorded sample is in some interval");
    }

    @Test
    void jsonGoesToStdout() throws Exception {
        Run r = CliRunner.run("latency", "--probe", "refault", "--backing", "anon", "--iterations", "50", "--json", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertEquals("gpcrace-results/2", doc.get("schema").asText());
        assertEquals("latency-refault-anon", doc.get("tests").get(0).get("name").asText());
    }

    @Test
    void refusalsCarryReasonAndFix() throws Exception {
        Run r = CliRunner.run("latency", "--probe", "madvise", "--sources", "remove,collapse,free", "--backing", "anon",
                "--sizes", "4K", "--spinners", "0", "--iterations", "20", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode tests = Json.MAPPER.readTree(CliRunner.results(out).toFile()).get("tests");
        assertEquals("skipped", tests.get(0).get("status").asText(), "MADV_REMOVE on anonymous memory");
        assertTrue(tests.get(0).get("skip").get("fix").asText().contains("--backing"), tests.get(0).toString());
        assertEquals("skipped", tests.get(1).get("status").asText(), "collapse of a 4 KiB range");
        assertTrue(tests.get(1).get("skip").get("reason").asText().contains("2 MiB"), tests.get(1).toString());
        assertEquals("ran", tests.get(2).get("status").asText());
        assertTrue(r.out().contains("verdict: skipped: "), r.out());
    }

    @Test
    void pageoutWithoutSwapRunsAndSaysNoEffect() {
        if (org.gpcrace.sys.HostFacts.probe().hasSwap()) return; // with swap, pageout has an effect
        Run r = CliRunner.run("latency", "--probe", "madvise", "--sources", "pageout", "--sizes", "16K", "--spinners", "0",
                "--iterations", "20", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("no effect"), r.out());
    }
}
