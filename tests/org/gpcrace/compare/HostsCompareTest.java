package org.gpcrace.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gpcrace.CliRunner;
import org.gpcrace.CliRunner.Run;
import org.gpcrace.result.Expectation;
import org.gpcrace.result.Grade;
import org.gpcrace.result.Grading;
import org.gpcrace.result.HostInfo;
import org.gpcrace.result.Json;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.RunInfo;
import org.gpcrace.result.Skip;
import org.gpcrace.result.TestResult;
import org.gpcrace.result.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compare over hosts: without a model each host is judged against its tests' declared
 * expectations, and those cell verdicts say what Grading says of the same test (finding =
 * Unexpected, race reproduced = its race row agrees, race not reproduced = Forgiven); a skipped
 * test shows its reason in its host's cell; columns are named from the host block; latency spread.
 */
class HostsCompareTest {

    static HostInfo host(String cpu, String kernel, boolean nested) {
        return new HostInfo("box", kernel, cpu, "0x1", 2, "0-1", true, "madvise", 0, 1, true, 1L << 30, 0, 2 << 20, false, nested, "default",
                "#1 SMP", "madvise", "/proc/config.gz", Map.of(), Map.of(), Map.of());
    }

    static RunInfo run(String bridge) {
        return new RunInfo("run gpc", bridge, "jvm", "jvm", List.of(), "dev", "abc1234", Map.of());
    }

    static TestResult gpc(String name, Expectation e, long stale, long lost) {
        long rounds = 1000;
        return Grading.grade(TestResult.builder(name, "gpc", Map.of("protocol", name)).expectation(e).rounds(rounds, 0.1)
                .forbiddenRounds(Math.min(rounds, stale + lost))
                .outcome(new OutcomeCount("clean", rounds - stale - lost, Grade.ACCEPTABLE, "d"))
                .outcome(new OutcomeCount("stale-visible", stale, Grade.FORBIDDEN, "d"))
                .outcome(new OutcomeCount("stale-lost", lost, Grade.FORBIDDEN, "d"))
                .outcome(new OutcomeCount("hang", 0, Grade.FORBIDDEN, "d")).build());
    }

    static final Expectation SAFE = Expectation.safe("drains readers");
    static final Expectation RACE = Expectation.unsafe("control", "stale-visible", "stale-lost");

    static Path write(Path dir, String name, HostInfo h, RunInfo r, List<TestResult> tests) throws Exception {
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        Json.writeFile(d.resolve("results.json"), new ResultsDocument(ResultsDocument.SCHEMA, "hardware", "gpcrace", "now", h, r, tests));
        return d;
    }

    static Comparison.Row row(Comparison.Result r, String test, String outcome) {
        return r.groups().stream().filter(g -> g.name().equals(test)).flatMap(g -> g.rows().stream())
                .filter(x -> x.outcome().equals(outcome)).findFirst().orElseThrow(() -> new AssertionError(test + "/" + outcome));
    }

    @Test
    void eachCellSaysWhatGradingSaysOfThatHostsTest(@TempDir Path dir) throws Exception {
        List<TestResult> a = List.of(gpc("rwlock", SAFE, 0, 0), gpc("seqcount", RACE, 0, 7), gpc("unlocked", RACE, 3, 4),
                TestResult.skipped("kvm-pvclock", "kvm-pvclock", Map.of(), new Skip("no /dev/kvm", "modprobe kvm_intel")));
        List<TestResult> b = List.of(gpc("rwlock", SAFE, 2, 0), gpc("seqcount", RACE, 0, 0), gpc("unlocked", RACE, 1, 0),
                Grading.grade(TestResult.builder("kvm-pvclock", "kvm-pvclock", Map.of()).expectation(SAFE).rounds(10, 1)
                        .outcome(new OutcomeCount("ok", 10, Grade.ACCEPTABLE, "d")).build()));
        Path pa = write(dir, "a", host("Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz", "6.1.0", false), run("ffm"), a);
        Path pb = write(dir, "b", host("AMD EPYC 7763 64-Core Processor", "6.8.0", true), run("ffm"), b);
        Comparison.Result r = Comparison.compareHosts(List.of(Inputs.open(pa, Inputs.Side.HARDWARE), Inputs.open(pb, Inputs.Side.HARDWARE)), 25);
        assertTrue(r.declared());
        List<List<TestResult>> graded = List.of(a, b);
        for (int host = 0; host < 2; host++) {
            for (TestResult t : graded.get(host)) {
                Comparison.Group g = r.groups().stream().filter(x -> x.name().equals(t.name())).findFirst().orElseThrow();
                final int h = host;
                boolean unexpected = g.rows().stream().anyMatch(x -> x.hosts().get(h).verdict() == org.gpcrace.compare.Verdict.UNEXPECTED);
                assertEquals(t.verdict() == Verdict.FINDING, unexpected, t.name() + " on host " + (h + 1) + ": " + t.verdictReason());
                if (t.expectation() != null && t.expectation().declaredUnsafe()) {
                    var race = row(r, t.name(), Declared.raceId(t.expectation())).hosts().get(h).verdict();
                    assertEquals(t.verdict() == Verdict.RACE_REPRODUCED ? org.gpcrace.compare.Verdict.AGREE : org.gpcrace.compare.Verdict.FORGIVEN,
                            race, t.name() + " on host " + (h + 1));
                }
                if (!t.ran()) {
                    Comparison.Judged j = g.rows().getFirst().hosts().get(h);
                    assertEquals(org.gpcrace.compare.Verdict.MISSING, j.verdict());
                    assertTrue(j.note().contains("no /dev/kvm"), "the skip reason is in the cell: " + j.note());
                }
            }
        }
        // the race row counts either race outcome, capped at the rounds
        assertEquals(7, row(r, "unlocked", Declared.raceId(RACE)).hardware().get(0).count());
        // an acceptable outcome is no claim: any count agrees
        assertEquals(null, row(r, "rwlock", "clean").model());
        assertEquals(org.gpcrace.compare.Verdict.UNEXPECTED, row(r, "rwlock", "stale-visible").verdict(), "one host showing it is enough");

        Run cli = CliRunner.run("compare", pa.toString(), pb.toString(), "--html", dir.toString());
        assertEquals(1, cli.code(), cli.err());
        String out = cli.out();
        assertTrue(out.contains("[1] Intel Xeon Platinum 8375C") && out.contains("[2] AMD EPYC 7763"), out);
        assertTrue(out.contains("bare metal") && out.contains("nested"), out);
        assertTrue(out.indexOf("\nrwlock") < out.indexOf("\nseqcount"), "the test with an Unexpected row comes first: " + out);
        assertTrue(out.contains("no /dev/kvm"), out);
        String html = Files.readString(dir.resolve("compare.html"));
        assertTrue(html.contains("!!! Unexpected") && html.contains("Intel Xeon Platinum 8375C") && html.contains("no /dev/kvm"), "compare.html");
        assertTrue(html.indexOf("class=\"unexpected\">2/1000 !!! Unexpected") < html.indexOf(">seqcount<"), "Unexpected rows first in the page");
    }

    @Test
    void equalHostsAreToldApartByWhatDiffers(@TempDir Path dir) throws Exception {
        HostInfo same = host("AMD EPYC", "6.18.44", true);
        Path a = write(dir, "a", same, run("ffm"), List.of(gpc("rwlock", SAFE, 0, 0)));
        Path b = write(dir, "b", same, run("jna"), List.of(gpc("rwlock", SAFE, 0, 0)));
        Path c = write(dir, "c", host("Intel Core i7", "6.18.44", false), run("jna"), List.of(gpc("rwlock", SAFE, 0, 0)));
        List<Input> in = List.of(Inputs.open(a, Inputs.Side.HARDWARE), Inputs.open(b, Inputs.Side.HARDWARE), Inputs.open(c, Inputs.Side.HARDWARE));
        List<HostNames.Name> names = HostNames.of(in);
        assertEquals("AMD EPYC, Linux 6.18.44, nested, bridge=ffm, from=a", names.get(0).line());
        assertEquals("AMD EPYC, Linux 6.18.44, nested, bridge=jna, from=b", names.get(1).line());
        assertEquals("Intel Core i7, Linux 6.18.44, bare metal", names.get(2).line(), "a distinct host keeps its plain name");
        List<HostNames.Name> twice = HostNames.of(List.of(in.get(0), in.get(0)));
        assertFalse(twice.get(0).line().equals(twice.get(1).line()), "the same file twice is numbered: " + twice);
        assertEquals("Intel Xeon Gold 6338", HostNames.shortCpu("Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz"));
    }

    @Test
    void theFirstInputDecidesWhetherThereIsAModel(@TempDir Path dir) throws Exception {
        Path a = write(dir, "a", host("AMD EPYC", "6.1", true), run("ffm"), List.of(gpc("rwlock", SAFE, 0, 0)));
        Run hosts = CliRunner.run("compare", a.toString(), a.toString(), "--json");
        assertEquals(0, hosts.code(), hosts.err());
        assertEquals("declared", Json.MAPPER.readTree(hosts.out()).get("reference").asText());
        Run forced = CliRunner.run("compare", "--hosts", a.toString());
        assertEquals(0, forced.code(), forced.err());
        String model = CompareTest.fixture("model.json");
        Run alone = CliRunner.run("compare", model);
        assertEquals(2, alone.code());
        assertTrue(alone.err().contains("a model needs at least one host after it") && alone.err().strip().lines().count() == 1, alone.err());
        Run modelLast = CliRunner.run("compare", a.toString(), model);
        assertEquals(2, modelLast.code());
        assertTrue(modelLast.err().contains("kind 'model' where a hardware results file is expected"), modelLast.err());
        Run badHtml = CliRunner.run("compare", a.toString(), "--html", dir.resolve("no/such/dir/x.html").toString());
        assertEquals(2, badHtml.code());
        assertTrue(badHtml.err().contains("--html: no such directory") && badHtml.out().isEmpty(), badHtml.err());
    }

    @Test
    void withAModelEachHostHasItsOwnVerdictAndLatencySpreads() {
        Comparison.Result r = CompareTest.compare("model.json", "hardware-agrees.json", "hardware.json");
        Comparison.Row u = row(r, "t-unexpected", "stale-visible");
        assertEquals(List.of(org.gpcrace.compare.Verdict.AGREE, org.gpcrace.compare.Verdict.UNEXPECTED),
                u.hosts().stream().map(Comparison.Judged::verdict).toList());
        Comparison.Spread p50 = r.spreads().stream().filter(s -> s.metric().equals("madvise-dontneed") && s.percentile().equals("p50"))
                .findFirst().orElseThrow();
        assertEquals(2, p50.hosts().size());
        assertEquals(p50.max() / p50.min(), p50.ratio(), 1e-12);
        assertTrue(p50.model() != null, "the model's value beside the hosts'");
        JsonNode j = Json.MAPPER.valueToTree(org.gpcrace.report.CompareReport.json(r));
        assertEquals("!!! Unexpected", j.get("rows").get(0).get("verdict").asText(), "Unexpected rows first in the JSON");
        assertEquals(2, j.get("hosts").size());
    }
}
