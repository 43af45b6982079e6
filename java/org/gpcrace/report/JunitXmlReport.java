package org.gpcrace.report;

import java.util.List;
import java.util.Locale;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.TestResult;
import org.gpcrace.result.Verdict;

/**
 * JUnit XML (the Surefire report format) for CI systems, one testcase per test, from the verdict:
 * ok and race reproduced pass; a finding and a control that did not reproduce its race are
 * failures (type = the verdict); a failed test is an error; skipped and interrupted tests are
 * skipped with their reason. The Observation line and the verdict go to system-out.
 */
public final class JunitXmlReport {
    private JunitXmlReport() {}

    public static String render(ResultsDocument doc) {
        List<TestResult> tests = doc.tests();
        long failures = tests.stream().filter(t -> kind(t) == Kind.FAILURE).count();
        long errors = tests.stream().filter(t -> kind(t) == Kind.ERROR).count();
        long skipped = tests.stream().filter(t -> kind(t) == Kind.SKIPPED).count();
        double time = tests.stream().mapToDouble(TestResult::durationSeconds).sum();
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT, "<testsuite name=\"gpcrace-%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">%n",
                esc(doc.kind()), tests.size(), failures, errors, skipped, time));
        for (TestResult t : tests) {
            sb.append(String.format(Locale.ROOT, "  <testcase classname=\"gpcrace.%s\" name=\"%s\" time=\"%.3f\">%n",
                    esc(t.scenario()), esc(t.name()), t.durationSeconds()));
            String reason = esc(ConsoleReport.verdictText(t));
            switch (kind(t)) {
                case FAILURE -> sb.append("    <failure type=\"").append(t.verdict().id()).append("\" message=\"").append(reason).append("\">")
                        .append(esc(t.ran() && !t.outcomes().isEmpty() ? t.observationLine() : "")).append("</failure>\n");
                case ERROR -> sb.append("    <error type=\"").append(t.verdict().id()).append("\" message=\"").append(reason).append("\"/>\n");
                case SKIPPED -> sb.append("    <skipped message=\"").append(reason).append("\"/>\n");
                case PASSED -> { }
            }
            sb.append("    <system-out>").append(reason);
            if (t.ran() && !t.outcomes().isEmpty()) sb.append('\n').append(esc(t.observationLine()));
            sb.append("</system-out>\n  </testcase>\n");
        }
        sb.append("</testsuite>\n");
        return sb.toString();
    }

    private enum Kind { PASSED, FAILURE, ERROR, SKIPPED }

    private static Kind kind(TestResult t) {
        Verdict v = t.verdict();
        if (v == null) return Kind.ERROR;
        return switch (v) {
            case OK, RACE_REPRODUCED -> Kind.PASSED;
            case FINDING, RACE_NOT_REPRODUCED -> Kind.FAILURE;
            case FAILED -> Kind.ERROR;
            case SKIPPED, INTERRUPTED -> Kind.SKIPPED;
        };
    }

    /**
     * XML text and attribute escaping; what XML 1.0 cannot carry (control characters, lone
     * surrogates, U+FFFE and U+FFFF) is dropped, so the file always parses.
     */
    public static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> { if (xmlChar(c)) b.appendCodePoint(c); }
            }
        }
        return b.toString();
    }

    /** The XML 1.0 Char production. */
    static boolean xmlChar(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
