package org.gpcrace.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.gpcrace.result.Grade;
import org.gpcrace.result.Grading;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.Skip;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.HostFacts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * junit.xml is valid against Surefire's own schema, surefire-test-report-3.0.xsd (a copy of
 * maven-surefire-plugin/src/site/resources/xsd/surefire-test-report-3.0.xsd from
 * apache/maven-surefire at commit 507c972618f2bdb047a37ccb9a2e737c333be563, the last before the
 * file became surefire-test-report.xsd), checked with {@code xmllint --schema} as CI users would
 * (make test-deps installs libxml2-utils) and with the JDK's validator: the junit.xml of every
 * command of the short real run, and one with every verdict and hostile strings in every field.
 */
class JunitSchemaTest {
    static final String FIX = "apt-get install libxml2-utils (make test installs it when run as root)";

    static Path xsd() throws URISyntaxException {
        return Path.of(JunitSchemaTest.class.getResource("surefire-test-report-3.0.xsd").toURI());
    }

    static boolean xmllint() { return Files.isExecutable(Path.of("/usr/bin/xmllint")); }

    record Lint(int code, String out) {}

    static Lint lint(Path xml) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/xmllint", "--noout", "--schema", xsd().toString(), xml.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "xmllint finished");
        return new Lint(p.exitValue(), out.strip());
    }

    static void jdkValidates(Path xml) throws Exception {
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(xsd().toFile()).newValidator().validate(new StreamSource(xml.toFile()));
    }

    /** Every verdict (pass, failure of both kinds, error, skip) and strings XML cannot carry as they are. */
    static ResultsDocument everyVerdict() {
        String nasty = "quote\" apos' <tag> & amp \u0001 ctl \uD800 lone \uD83D\uDE00 pair \t tab";
        List<TestResult> tests = new ArrayList<>(ReportTest.sample().tests());
        tests.add(Grading.grade(TestResult.builder("gpc-" + nasty, nasty, Map.of("k", nasty)).expectation(ReportTest.SAFE).rounds(10, 1)
                .forbiddenRounds(1).outcome(new OutcomeCount("stale-lost", 1, Grade.FORBIDDEN, nasty)).build()));
        tests.add(Grading.grade(TestResult.skipped("skip-" + nasty, "x", Map.of(), new Skip(nasty, nasty))));
        tests.add(Grading.grade(TestResult.failed("fail-" + nasty, "x", Map.of(), nasty)));
        return new ResultsDocument(ResultsDocument.SCHEMA, "hardware", "gpcrace", "now", null, null, tests);
    }

    @Test
    void everyVerdictAndHostileStringsGiveAValidFile(@TempDir Path dir) throws Exception {
        Path xml = dir.resolve("junit.xml");
        Files.writeString(xml, JunitXmlReport.render(everyVerdict()));
        jdkValidates(xml);
        assumeXmllint();
        Lint l = lint(xml);
        assertEquals(0, l.code(), l.out());
        assertTrue(l.out().endsWith("validates"), l.out());
    }

    @Test
    void theJunitXmlOfEveryCommandOfAShortRunValidates() throws Exception {
        for (ShortRun.Command c : ShortRun.get().values()) {
            Path xml = c.file(ReportFiles.JUNIT);
            jdkValidates(xml);
            if (!xmllint()) continue;
            Lint l = lint(xml);
            assertEquals(0, l.code(), c.name() + ": " + l.out());
        }
        assumeXmllint();
    }

    /** The negative control: what the tool wrote before (a failure without type, a timestamp on testsuite) is refused. */
    @Test
    void xmllintRefusesWhatSurefiresSchemaDoesNotAllow(@TempDir Path dir) throws Exception {
        assumeXmllint();
        Path bad = dir.resolve("bad.xml");
        Files.writeString(bad, """
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuite name="gpcrace" tests="1" failures="1" errors="0" skipped="0" time="1.0" timestamp="2026-11-27T12:00:00">
                  <testcase classname="gpcrace.gpc" name="gpc-unlocked" time="1.0"><failure message="stale-lost"/></testcase>
                </testsuite>
                """);
        Lint l = lint(bad);
        assertNotEquals(0, l.code(), l.out());
        assertTrue(l.out().contains("timestamp") && l.out().contains("type"), l.out());
    }

    @Test
    void whereTheBuildCanInstallXmllintItIsThere() {
        boolean canInstall = HostFacts.probe().root() && Files.isExecutable(Path.of("/usr/bin/apt-get"));
        if (!canInstall) return; // a skip with the fix is legitimate here
        assertTrue(xmllint(), "root with apt-get, yet no xmllint: the schema checks would skip; run make test-deps (make test does)");
    }

    private static void assumeXmllint() throws IOException {
        if (!xmllint()) Assumptions.abort("no /usr/bin/xmllint; fix: " + FIX);
    }
}
