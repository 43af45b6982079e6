package org.gpcrace.report;

import java.util.List;
import java.util.Map;
import org.gpcrace.result.Grade;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.TestResult;

/**
 * JUnit XML for CI systems: one testcase per test; a FORBIDDEN outcome with a non-zero count is a
 * failure (for a protocol declared unsafe the message says the race was reproduced), a skipped
 * scenario is skipped with its reason, a failed run is an error.
 */
public final class JunitXmlReport {
    private JunitXmlReport() {}

    public static String render(ResultsDocument doc) {
        List<TestResult> tests = doc.tests() == null ? List.of() : doc.tests();
        long failures = tests.stream().filter(t -> t.ran() && t.forbiddenCount() > 0).count();
        long skipped = tests.stream().filter(t -> "skipped".equals(t.status())).count();
        long errors = tests.stream().filter(t -> "failed".equals(t.status())).count();
        double time = tests.stream().mapToDouble(TestResult::durationSeconds).sum();
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format("<testsuite name=\"gpcrace-%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\" timestamp=\"%s\">%n",
                esc(doc.kind()), tests.size(), failures, errors, skipped, time, esc(doc.createdAt())));
        for (TestResult t : tests) {
            sb.append(String.format("  <testcase classname=\"gpcrace.%s\" name=\"%s\" time=\"%.3f\"",
                    esc(t.scenario()), esc(t.name()), t.durationSeconds()));
            if ("skipped".equals(t.status())) {
                sb.append(">\n    <skipped message=\"").append(esc(t.skip() == null ? "skipped" : t.skip().line())).append("\"/>\n  </testcase>\n");
            } else if ("failed".equals(t.status())) {
                sb.append(">\n    <error message=\"").append(esc(t.error())).append("\"/>\n  </testcase>\n");
            } else if (t.forbiddenCount() > 0) {
                sb.append(">\n    <failure message=\"").append(esc(failureMessage(t))).append("\">")
                        .append(esc(ConsoleReport.observationLine(t))).append("</failure>\n  </testcase>\n");
            } else {
                sb.append("/>\n");
            }
        }
        sb.append("</testsuite>\n");
        return sb.toString();
    }

    static String failureMessage(TestResult t) {
        StringBuilder m = new StringBuilder("FORBIDDEN outcomes in " + t.rounds() + " rounds:");
        for (OutcomeCount o : t.outcomes()) {
            if (o.grade() == Grade.FORBIDDEN && o.count() > 0) m.append(' ').append(o.id()).append('=').append(o.count());
        }
        Map<String, Object> p = t.params();
        if (p != null && Boolean.FALSE.equals(p.get("expectedSafe"))) m.append(" (protocol declared unsafe: race reproduced)");
        return m.toString();
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> { if (c >= 0x20 || c == '\n' || c == '\t') b.append(c); }
            }
        }
        return b.toString();
    }
}
