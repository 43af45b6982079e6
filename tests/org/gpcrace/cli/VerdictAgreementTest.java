package org.gpcrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.gpcrace.CliRunner;
import org.gpcrace.result.Grading;
import org.gpcrace.result.Json;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * One verdict everywhere: for every test of a short suite and of the model, the console block,
 * the summary line, results.json, report.html, junit.xml and the exit status say the same; a
 * results file whose stored verdict contradicts its outcomes is refused.
 */
class VerdictAgreementTest {
    @TempDir Path dir;

    @Test
    void aQuickSuiteSaysTheSameEverywhere() throws Exception {
        CliRunner.Run r = CliRunner.run("suite", "--quick", "-q", "--out", dir.resolve("suite").toString());
        agree(r, dir.resolve("suite"));
    }

    @Test
    void theModelSaysTheSameEverywhere() throws Exception {
        CliRunner.Run r = CliRunner.run("model", "-q", "--out", dir.resolve("model").toString());
        agree(r, dir.resolve("model"));
    }

    @Test
    void aStoredVerdictThatContradictsTheOutcomesIsRefused() throws Exception {
        Path root = dir.resolve("gpc");
        CliRunner.Run r = CliRunner.run("run", "gpc", "--protocol", "unlocked", "--rounds", "20000", "--stop-on-forbidden", "-q", "--out", root.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        Path results = CliRunner.results(root);
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(results.toFile());
        ((ObjectNode) doc.get("tests").get(0)).put("verdict", "ok");
        Files.writeString(results, Json.write(doc));
        CliRunner.Run bad = CliRunner.run("report", root.toString());
        assertEquals(2, bad.code(), bad.out());
        assertTrue(bad.err().contains("verdict 'ok' contradicts the test's outcomes: grading gives 'race-reproduced'"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }

    /** Every output of the run under {@code root} gives every test the same verdict, and the exit status follows from them. */
    static void agree(CliRunner.Run r, Path root) throws Exception {
        ResultsDocument doc = Json.MAPPER.readValue(CliRunner.results(root).toFile(), ResultsDocument.class);
        assertFalse(doc.tests().isEmpty());
        Map<String, Verdict> json = new HashMap<>();
        for (var t : doc.tests()) json.put(t.name(), t.verdict());
        assertEquals(doc.tests().size(), json.size(), "test names are unique");
        assertEquals(Grading.exitStatus(doc.tests()), r.code(), "the exit status follows from the verdicts: " + r.err());

        // console: each block's last line and the summary line
        Map<String, String> blocks = consoleVerdicts(r.out());
        Map<String, String> summary = summaryVerdicts(r.out());
        Map<String, String> html = htmlVerdicts(Files.readString(CliRunner.latest(root, "report.html")));
        Map<String, Element> junit = junitCases(CliRunner.latest(root, "junit.xml"));
        for (var t : doc.tests()) {
            String label = t.verdict().label();
            assertTrue(blocks.get(t.name()).startsWith(label), t.name() + ": console block says " + blocks.get(t.name()) + ", results.json " + label);
            if (doc.tests().size() > 1) assertTrue(summary.get(t.name()).startsWith(label), t.name() + ": summary says " + summary.get(t.name()));
            assertTrue(html.get(t.name()).startsWith(label), t.name() + ": report.html says " + html.get(t.name()));
            Element tc = junit.get(t.name());
            String kind = tc.getElementsByTagName("failure").getLength() > 0 ? "failure"
                    : tc.getElementsByTagName("error").getLength() > 0 ? "error"
                    : tc.getElementsByTagName("skipped").getLength() > 0 ? "skipped" : "pass";
            String want = switch (t.verdict()) {
                case OK, RACE_REPRODUCED -> "pass";
                case FINDING, RACE_NOT_REPRODUCED -> "failure";
                case FAILED -> "error";
                case SKIPPED, INTERRUPTED -> "skipped";
            };
            assertEquals(want, kind, t.name() + " (" + t.verdict().id() + ") in junit.xml");
            if (kind.equals("failure")) assertEquals(t.verdict().id(), ((Element) tc.getElementsByTagName("failure").item(0)).getAttribute("type"));
        }
    }

    static Map<String, String> consoleVerdicts(String out) {
        Map<String, String> m = new HashMap<>();
        String current = null;
        for (String line : out.lines().toList()) {
            if (line.startsWith("[") && line.endsWith("]")) current = line.substring(1, line.length() - 1);
            else if (current != null && line.startsWith("  verdict: ")) m.put(current, line.substring("  verdict: ".length()));
        }
        return m;
    }

    static Map<String, String> summaryVerdicts(String out) {
        Map<String, String> m = new HashMap<>();
        boolean in = false;
        for (String line : out.lines().toList()) {
            if (line.equals("=== summary")) in = true;
            else if (in && line.startsWith("  ")) {
                String[] p = line.strip().split("\\s+", 2);
                m.put(p[0], p.length > 1 ? p[1] : "");
            }
        }
        return m;
    }

    static Map<String, String> htmlVerdicts(String html) {
        Map<String, String> m = new HashMap<>();
        // each test's section: <h2>NAME <span class="badge v-ID">LABEL</span></h2>, then the reason in <p class="why">
        Matcher x = Pattern.compile("<section class=\"test\" id=\"[^\"]*\"><h2>([^<]*) <span class=\"badge v-[^\"]*\">([^<]*)</span></h2>"
                + "(?:<p class=\"why\">([^<]*)</p>)?").matcher(html);
        while (x.find()) m.put(unescape(x.group(1)), unescape(x.group(2)) + (x.group(3) == null ? "" : ": " + unescape(x.group(3))));
        return m;
    }

    static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&#39;", "'").replace("&amp;", "&");
    }

    static Map<String, Element> junitCases(Path junit) throws Exception {
        var d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        Map<String, Element> m = new HashMap<>();
        NodeList cases = d.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element e = (Element) cases.item(i);
            m.put(e.getAttribute("name"), e);
        }
        return m;
    }

}
