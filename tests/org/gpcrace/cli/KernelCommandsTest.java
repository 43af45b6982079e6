package org.gpcrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gpcrace.CliRunner;
import org.gpcrace.CliRunner.Run;
import org.gpcrace.TestCaps;
import org.gpcrace.result.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** run kvm-pvclock / pin / memslot-fairness on the command line: bad input, outputs, exit codes, suite steps. */
class KernelCommandsTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "run kvm-pvclock --source punch-hole", "run kvm-pvclock --source dontneed,", "run kvm-pvclock --source none,ksm",
            "run kvm-pvclock --storm --source ksm", "run kvm-pvclock --vcpus 9", "run kvm-pvclock --vcpus 2 --clock-update set-clock",
            "run kvm-pvclock --kick --kick-samples -1", "run kvm-pvclock --sequential-budget-ms 0",
            "run kvm-pvclock --clock-update never", "run kvm-pvclock --runs 0",
            "run kvm-pvclock --cpus 0", "run kvm-pvclock --cpus 0,4096", "run kvm-pvclock --storm --source none",
            "run kvm-pvclock --memslot-updates --source none", "run kvm-pvclock --run-bound-ms 20000 --hang-ms 10",
            "run pin --trials 0", "run pin --trials x",
            "run memslot-fairness --duty 1.5", "run memslot-fairness --duty 0.5,-1", "run memslot-fairness --overlap sideways",
            "run memslot-fairness --updates 0", "run memslot-fairness --bound-ms 5 --wait-limit-ms 1"})
    void badInputIsOneLineAndExitTwo(String line) {
        Run r = CliRunner.run(line.split(" "));
        assertEquals(2, r.code(), line + ": " + r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, got: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void pinWritesResultsAndExitsZero(@TempDir Path dir) throws Exception {
        Run r = CliRunner.run("run", "pin", "--trials", "20", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("[pin-vmsplice-dontneed]") && r.out().contains("stale-pin"), r.out());
        JsonNode doc = Json.MAPPER.readTree(Files.readString(CliRunner.results(dir)));
        assertEquals(5, doc.get("tests").size());
        assertEquals(20, doc.get("run").get("options").get("trials").asInt());
        for (JsonNode t : doc.get("tests")) assertTrue(t.get("outcomes").size() >= 2, t.toString());
    }

    @Test
    void bustedKvmPvclockReproducesTheLostUpdateItIsDeclaredToShow(@TempDir Path dir) throws Exception {
        TestCaps.assume("kvm");
        Run r = CliRunner.run("run", "kvm-pvclock", "--runs", "3000", "--busted", "--calibration", "50", "--out", dir.toString());
        assertEquals(0, r.code(), "a declared-unsafe control that shows its race is not a failure: " + r.out() + r.err());
        assertTrue(r.out().contains("!!!") && r.out().contains("lost-update"), r.out());
        JsonNode t = Json.MAPPER.readTree(Files.readString(CliRunner.results(dir))).get("tests").get(0);
        assertEquals("kvm-pvclock-dontneed", t.get("name").asText());
        assertTrue(t.get("params").get("busted").asBoolean());
        assertEquals("CLOCK_MONOTONIC (System.nanoTime)", t.get("latencies").get(0).get("clock").asText());
        assertEquals("race-reproduced", t.get("verdict").asText());
        assertEquals("pvclock", t.get("extra").get("type").asText());
        JsonNode evidence = t.get("extra").get("lostUpdates");
        assertTrue(evidence != null && evidence.size() >= 1, "a lost update carries its evidence: " + t.get("extra"));
        assertTrue(evidence.get(0).get("failedCheck").asText().startsWith("version still 0"), evidence.toString());
    }

    @Test
    void memslotFairnessPrintsTheSweep(@TempDir Path dir) throws Exception {
        Run r = CliRunner.run("run", "memslot-fairness", "--duty", "0,0.5", "--updates", "50", "--kernel-pairs", "0", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("[memslot-fairness-sweep]") && r.out().contains("unfair-count") && r.out().contains("fair-rwsem"), r.out());
        JsonNode sweep = Json.MAPPER.readTree(Files.readString(CliRunner.results(dir))).get("tests").get(4);
        assertEquals("memslot-fairness-sweep", sweep.get("name").asText());
        assertEquals(2, sweep.get("tables").get(0).get("rows").size());
    }

    @Test
    void theSuiteRunsTheKernelScenarios() {
        List<String> names = SuiteCommand.tests(org.gpcrace.bridges.Bridges.open(), new java.io.PrintWriter(java.io.Writer.nullWriter()), SuiteScale.QUICK).stream().map(org.gpcrace.harness.Test::name).toList();
        for (String n : List.of("kvm-pvclock-dontneed", "pin", "memslot-fairness")) assertTrue(names.contains(n), names.toString());
    }
}
