package org.gpcrace.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gpcrace.CliRunner;
import org.gpcrace.CliRunner.Run;
import org.gpcrace.result.Json;
import org.gpcrace.result.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** compare on fixtures: each verdict, the litmus reader, the latency comparison, and bad input. */
class CompareTest {
    static String fixture(String name) {
        try {
            return Path.of(CompareTest.class.getResource("/org/gpcrace/compare/" + name).toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Comparison.Result compare(String model, String... hardware) {
        Input m = Inputs.open(Path.of(fixture(model)), Inputs.Side.MODEL);
        List<Input> hw = java.util.Arrays.stream(hardware).map(h -> Inputs.open(Path.of(fixture(h)), Inputs.Side.HARDWARE)).toList();
        return Comparison.compare(m, hw, 25);
    }

    static Comparison.Row row(Comparison.Result r, String test, String outcome) {
        return r.groups().stream().filter(g -> g.name().equals(test)).flatMap(g -> g.rows().stream())
                .filter(x -> x.outcome().equals(outcome)).findFirst().orElseThrow(() -> new AssertionError(test + "/" + outcome));
    }

    @Test
    void eachVerdictOnFixtures() {
        Comparison.Result r = compare("model.json", "hardware.json");
        // matched by parameters (protocol=rwlock) although the names differ
        assertEquals(Verdict.AGREE, row(r, "t-agree", "clean").verdict());
        assertEquals(Verdict.AGREE, row(r, "t-agree", "stale-visible").verdict());
        assertEquals("gpc-rwlock-dontneed", r.groups().stream().filter(g -> g.name().equals("t-agree")).findFirst().orElseThrow()
                .hardware().getFirst().getFirst().name());
        Comparison.Row unexpected = row(r, "t-unexpected", "stale-visible");
        assertEquals(Verdict.UNEXPECTED, unexpected.verdict());
        assertEquals(3, unexpected.hardware().getFirst().count());
        Comparison.Row forgiven = row(r, "t-forgiven", "stale-visible");
        assertEquals(Verdict.FORGIVEN, forgiven.verdict());
        assertTrue(forgiven.note().contains("1000 rounds") && forgiven.note().contains("0.00300"), forgiven.note());
        assertEquals(Verdict.AGREE, row(r, "t-forgiven", "clean").verdict(), "model Sometimes, hardware every round: allowed");
        assertEquals(Verdict.AGREE, row(r, "t-always", "stale-lost").verdict());
        assertEquals(Verdict.MISSING, row(r, "t-model-only", "-").verdict());
        assertEquals(Verdict.MISSING, row(r, "t-hw-only", "-").verdict());
        assertTrue(r.anyUnexpected());
        assertFalse(compare("model.json", "hardware-agrees.json").anyUnexpected());
    }

    @Test
    void theModelSayingAlwaysIsContradictedByOneRoundWithout() {
        var cells = List.of(new Comparison.Cell(499, 500, 1));
        assertEquals(Verdict.UNEXPECTED, Comparison.judge("stale-lost", null, Observation.Always, null, 0, cells, false).verdict());
        assertEquals(Verdict.AGREE, Comparison.judge("stale-lost", null, Observation.Always, null, 0,
                List.of(new Comparison.Cell(500, 500, 1)), false).verdict());
        assertEquals(Verdict.UNEXPECTED, Comparison.judge("x", null, Observation.Never, null, 0,
                java.util.Arrays.asList(null, new Comparison.Cell(1, 10, 1)), true).verdict(), "any input showing it counts");
    }

    @Test
    void forgivenStatesTheRuleOfThreeBound() {
        assertEquals("not seen in 30000 rounds: rate < 0.000100 per round (95%, 3/N)", Comparison.forgiven(30000));
    }

    @Test
    void severalHardwareInputsGiveOneColumnEach() {
        Comparison.Result r = compare("model.json", "hardware-agrees.json", "hardware.json");
        Comparison.Row u = row(r, "t-unexpected", "stale-visible");
        assertEquals(2, u.hardware().size());
        assertEquals(0, u.hardware().get(0).count());
        assertEquals(3, u.hardware().get(1).count());
        assertEquals(Verdict.UNEXPECTED, u.verdict(), "one input showing it is enough");
        Comparison.Row f = row(r, "t-forgiven", "stale-visible");
        assertTrue(f.note().contains("2000 rounds"), "rounds of every input count towards the bound: " + f.note());
    }

    @Test
    void litmusLogsOnBothSides() {
        Input herd = Inputs.open(Path.of(fixture("herd.log")), Inputs.Side.MODEL);
        assertEquals(2, herd.tests().size());
        TestRecord sc = herd.tests().getFirst();
        assertEquals("gpc-seqcount", sc.name());
        assertEquals(39, sc.rounds());
        assertEquals(28, sc.outcomes().get(LitmusLog.OUTCOME).count());
        assertEquals(Observation.Sometimes, sc.outcomes().get(LitmusLog.OUTCOME).observation());
        Comparison.Result r = compare("herd.log", "litmus.log");
        assertEquals(Verdict.AGREE, row(r, "gpc-seqcount", LitmusLog.OUTCOME).verdict());
        assertEquals(Verdict.UNEXPECTED, row(r, "gpc-rwlock", LitmusLog.OUTCOME).verdict());
    }

    @Test
    void aResultsJsonIsComparedWithALitmusLogOnItsForbiddenOutcomes(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("litmus.log");
        Files.writeString(log, "Observation t-forgiven Sometimes 5 995\nObservation t-unexpected Never 0 1000\n");
        Input m = Inputs.open(Path.of(fixture("model.json")), Inputs.Side.MODEL);
        Comparison.Result r = Comparison.compare(m, List.of(Inputs.open(log, Inputs.Side.HARDWARE)), 25);
        assertEquals(Verdict.AGREE, row(r, "t-forgiven", LitmusLog.OUTCOME).verdict());
        assertEquals(Verdict.AGREE, row(r, "t-unexpected", LitmusLog.OUTCOME).verdict());
        assertFalse(r.anyUnexpected());
    }

    @Test
    void latencyRatioSignedMpeMapeAndTolerance() {
        Comparison.Result r = compare("model.json", "hardware.json");
        assertEquals(1, r.latencies().size());
        Comparison.LatencyRow l = r.latencies().getFirst();
        assertEquals("madvise-dontneed", l.metric());
        assertEquals(List.of(1.1, 1.0, 1.5, 1.0), l.percentiles().stream().map(p -> Math.round(p.ratio() * 1000) / 1000.0).toList());
        assertEquals(15.0, l.mpe(), 1e-9);
        assertEquals(15.0, l.mape(), 1e-9);
        assertEquals(List.of(false, false, true, false), l.percentiles().stream().map(Comparison.Percentile::flagged).toList());
        assertTrue(l.flagged());
        Run wide = CliRunner.run("compare", fixture("model.json"), fixture("hardware-agrees.json"), "--tolerance", "60%", "--json");
        assertEquals(0, wide.code(), wide.err());
        assertTrue(wide.out().contains("\"flagged\" : false") && !wide.out().contains("\"flagged\" : true"), wide.out());
    }

    @Test
    void cliExitsOneOnUnexpectedAndZeroOtherwise() throws Exception {
        Run bad = CliRunner.run("compare", fixture("model.json"), fixture("hardware.json"));
        assertEquals(1, bad.code(), bad.err());
        assertTrue(bad.out().contains("!!! Unexpected") && bad.out().contains("Forgiven") && bad.out().contains("Missing"), bad.out());
        assertTrue(bad.out().contains("signed MPE +15.0%, MAPE 15.0%"), bad.out());
        Run ok = CliRunner.run("compare", fixture("model.json"), fixture("hardware-agrees.json"), "--json");
        assertEquals(0, ok.code(), ok.err());
        JsonNode j = Json.MAPPER.readTree(ok.out());
        assertFalse(j.get("unexpected").asBoolean());
        assertTrue(j.get("rows").size() > 5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "schema-violation.json | schema-violation.json:3:42: $.tests[0].outcomes[0].count: string found, integer expected",
            "truncated.json        | truncated.json:7:66: not valid JSON: Unexpected end-of-input",
            "not-json.txt          | not-json.txt:1:1: neither JSON",
            "huge-number.json      | huge-number.json:2:44: $.tests[0].rounds: must have a maximum value of 9223372036854775807",
            "unknown-outcome.json  | unknown-outcome.json:3:53: $.tests[0].outcomes[1].id: unknown outcome 'stale-visibel' for scenario gpc",
            "bad-litmus.log        | bad-litmus.log:2:24: 'Rarely' is not Never, Sometimes or Always",
            "model.json            | model.json:3:11: $.kind: kind 'model' where a hardware results file is expected",
            "no-such-file.json     | no-such-file.json: no such file"})
    void badInputIsOneLineWithFilePositionAndProblemAndExitTwo(String file, String expected) {
        String path = file.equals("no-such-file.json") ? fixture("model.json").replace("model.json", file) : fixture(file);
        Run r = CliRunner.run("compare", fixture("model.json"), path);
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertTrue(r.err().contains(expected.strip()), "expected '" + expected.strip() + "' in: " + r.err());
        assertTrue(r.out().isEmpty(), "no table on bad input: " + r.out());
    }

    @Test
    void duplicateKeysAndTrailingGarbageAreRefused(@TempDir Path dir) throws Exception {
        Path dup = dir.resolve("dup.json");
        Files.writeString(dup, "{\"schema\": \"gpcrace-results/2\", \"kind\": \"hardware\", \"kind\": \"model\", \"tests\": []}");
        Run r = CliRunner.run("compare", fixture("model.json"), dup.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("dup.json:1:") && r.err().contains("Duplicate field 'kind'"), r.err());
        Path two = dir.resolve("two.json");
        Files.writeString(two, "{\"schema\": \"gpcrace-results/2\", \"kind\": \"hardware\", \"tests\": []}\n{}\n");
        r = CliRunner.run("compare", fixture("model.json"), two.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("two.json:2:1: not valid JSON: text after the end of the document"), r.err());
    }

    @Test
    void aDirectoryMeansItsResultsJson(@TempDir Path dir) throws Exception {
        Files.copy(Path.of(fixture("hardware-agrees.json")), dir.resolve("results.json"));
        Run r = CliRunner.run("compare", fixture("model.json"), dir.toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void aCountAboveTheRoundsIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.json");
        Files.writeString(f, "{\"schema\": \"gpcrace-results/2\", \"kind\": \"hardware\", \"tests\": [\n"
                + " {\"name\": \"t\", \"status\": \"ran\", \"rounds\": 5, \"outcomes\": [{\"id\": \"clean\", \"count\": 6}]}]}");
        Run r = CliRunner.run("compare", fixture("model.json"), f.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("c.json:2:59: $.tests[0].outcomes[0]: count 6 exceeds the test's 5 rounds"), r.err());
    }

    @Test
    void aBadToleranceIsBadInput() {
        Run r = CliRunner.run("compare", fixture("model.json"), fixture("hardware.json"), "--tolerance", "lots");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("gpcrace: --tolerance"), r.err());
    }

    @Test
    void anOutcomeWithoutCountOrObservationIsASchemaViolation(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.json");
        Files.writeString(f, "{\"schema\": \"gpcrace-results/2\", \"kind\": \"hardware\", \"tests\": [\n"
                + " {\"name\": \"t\", \"status\": \"ran\", \"outcomes\": [{\"id\": \"clean\"}]}]}");
        Run r = CliRunner.run("compare", fixture("model.json"), f.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("x.json:2:46: $.tests[0].outcomes[0]: needs one of 'count' or 'observation'"), r.err());
    }
}
