package org.gpcrace.report;

import static org.gpcrace.report.Html.count;
import static org.gpcrace.report.Html.e;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.result.HostInfo;
import org.gpcrace.result.Json;
import org.gpcrace.result.ModelExtra;
import org.gpcrace.result.ResultsDocument;
import org.gpcrace.result.RunInfo;
import org.gpcrace.result.TestResult;
import org.gpcrace.result.Verdict;

/**
 * report.html: one self-contained page per run (inline CSS and SVG, no script, nothing fetched).
 * At the top the run (command, host, options) and an index: every test with its verdict and
 * headline numbers, linking to its section; then one section per test ({@link TestSection}).
 * A model's page has no host (it ran on none) and counts final states, not rounds per second.
 */
public final class HtmlReport {
    private HtmlReport() {}

    /** Sections already drawn, by result object: the runner rewrites the page after every test. */
    static final class Cache {
        private final Map<TestResult, String> sections = new IdentityHashMap<>();

        String section(TestResult t, String anchor) { return sections.computeIfAbsent(t, r -> TestSection.render(r, anchor)); }
    }

    public static String render(ResultsDocument doc) { return render(doc, new Cache()); }

    static String render(ResultsDocument doc, Cache cache) {
        List<TestResult> tests = doc.tests();
        List<String> anchors = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) anchors.add("t" + (i + 1) + "-" + Html.anchor(tests.get(i).name()).substring(2));
        String title = "gpcrace " + (doc.run() != null && doc.run().command() != null ? doc.run().command() : doc.kind());
        StringBuilder s = new StringBuilder(64 * 1024);
        s.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(e(title)).append("</title><style>").append(ReportStyle.CSS).append("</style></head><body><main>");
        s.append("<header class=\"run\"><h1>").append(e(title)).append("</h1><p class=\"muted\">")
                .append(e(ResultsDocument.MODEL.equals(doc.kind()) ? "model results" : "results on " + hostName(doc.host())))
                .append(" &middot; ").append(e(doc.createdAt())).append(" &middot; ").append(e(doc.tool())).append(" &middot; <code>")
                .append(e(doc.schema())).append("</code></p>");
        verdictCounts(s, tests);
        s.append("</header>");
        summary(s, doc, anchors);
        runAndHost(s, doc.run(), doc.host());
        for (int i = 0; i < tests.size(); i++) s.append(cache.section(tests.get(i), anchors.get(i)));
        return s.append("</main></body></html>\n").toString();
    }

    private static String hostName(HostInfo h) {
        if (h == null) return "an unnamed host";
        return h.hostname() + (h.cpuModel() == null ? "" : " (" + h.cpuModel() + ", " + h.onlineCpus() + " CPUs)");
    }

    /** The verdict as a coloured label: its class names the verdict id. */
    static String badge(TestResult t) {
        Verdict v = t.verdict();
        String id = v == null ? "ungraded" : v.id();
        return "<span class=\"badge v-" + id + "\">" + e(v == null ? "not graded" : v.label()) + "</span>";
    }

    private static void verdictCounts(StringBuilder s, List<TestResult> tests) {
        Map<Verdict, Integer> n = new EnumMap<>(Verdict.class);
        for (TestResult t : tests) if (t.verdict() != null) n.merge(t.verdict(), 1, Integer::sum);
        s.append("<p class=\"counts\">").append(tests.size()).append(tests.size() == 1 ? " test" : " tests");
        n.forEach((v, c) -> s.append(" <span class=\"badge v-").append(v.id()).append("\">").append(c).append(' ').append(e(v.label())).append("</span>"));
        s.append("</p>");
    }

    /** The index: one row per test, linking to its section. */
    private static void summary(StringBuilder s, ResultsDocument doc, List<String> anchors) {
        List<TestResult> tests = doc.tests();
        if (tests.isEmpty()) {
            s.append("<p>No test has finished yet.</p>");
            return;
        }
        boolean anyRate = tests.stream().anyMatch(t -> t.ran() && !(t.extra() instanceof ModelExtra) && t.roundsPerSecond() > 0);
        boolean anyOutcomes = tests.stream().anyMatch(t -> t.ran() && !t.outcomes().isEmpty());
        s.append("<section class=\"index\"><h2>Tests</h2><table class=\"data index\"><tr><th>test</th><th>verdict</th><th class=\"num\">ran</th>");
        if (anyRate) s.append("<th class=\"num\">rate</th>");
        if (anyOutcomes) s.append("<th class=\"num\">with a FORBIDDEN outcome</th><th>observation</th>");
        s.append("</tr>");
        for (int i = 0; i < tests.size(); i++) {
            TestResult t = tests.get(i);
            s.append("<tr><td><a href=\"#").append(anchors.get(i)).append("\">").append(e(t.name())).append("</a></td><td>").append(badge(t));
            if (!t.ran() && t.skip() != null) s.append("<div class=\"muted small\">").append(e(t.skip().reason())).append("</div>");
            if (!t.ran() && t.error() != null) s.append("<div class=\"muted small\">").append(e(t.error())).append("</div>");
            s.append("</td><td class=\"num\">").append(t.ran() ? count(t.rounds()) + " " + e(t.unit()) : "").append("</td>");
            if (anyRate) {
                boolean rate = t.ran() && !(t.extra() instanceof ModelExtra) && t.roundsPerSecond() > 0;
                s.append("<td class=\"num\">").append(rate ? count(Math.round(t.roundsPerSecond())) + "/s" : "").append("</td>");
            }
            if (anyOutcomes) {
                boolean shown = t.ran() && !t.outcomes().isEmpty();
                s.append("<td class=\"num").append(t.forbiddenRounds() > 0 ? " bad" : "").append("\">").append(shown ? count(t.forbiddenRounds()) : "")
                        .append("</td><td>").append(shown ? "<code>" + e(t.observationLine()) + "</code>" : "").append("</td>");
            }
            s.append("</tr>");
        }
        s.append("</table></section>");
    }

    private static void grid(StringBuilder s, Map<?, ?> m) {
        s.append("<div class=\"grid\">");
        for (var en : m.entrySet()) {
            s.append("<div><span class=\"k\">").append(e(String.valueOf(en.getKey()))).append("</span> ")
                    .append(e(Html.value(en.getValue()))).append("</div>");
        }
        s.append("</div>");
    }

    /** How the run was made and, for a run on a machine, the host; nothing for what a document leaves out. */
    private static void runAndHost(StringBuilder s, RunInfo run, HostInfo host) {
        if (run == null && host == null) return;
        s.append("<section class=\"about\">");
        if (run != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("command", run.command());
            r.put("bridge", run.bridge());
            r.put("isolation", run.isolation());
            r.put("jvm", run.jvm());
            r.put("toolVersion", run.toolVersion());
            r.put("toolCommit", run.toolCommit());
            r.values().removeIf(v -> v == null);
            s.append("<div><h2>Run</h2>").append(Html.keyValues(r, "run"));
            Map<String, Object> options = new LinkedHashMap<>(run.options());
            options.values().removeIf(v -> v == null); // an option not given and without a default
            if (!options.isEmpty()) s.append("<h3>Options</h3>").append(Html.keyValues(options, "options"));
            if (!run.jvmArgs().isEmpty()) {
                s.append("<details><summary>JVM arguments</summary><code class=\"block\">").append(e(String.join(" ", run.jvmArgs())))
                        .append("</code></details>");
            }
            s.append("</div>");
        }
        if (host != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> h = Json.MAPPER.convertValue(host, LinkedHashMap.class);
            Map<String, Object> shown = new LinkedHashMap<>();
            Map<String, Map<?, ?>> blocks = new LinkedHashMap<>();
            h.forEach((k, v) -> {
                if (v == null) return;
                if (v instanceof Map<?, ?> m) blocks.put(k, m);
                else if (k.endsWith("Bytes") && v instanceof Number n) shown.put(k.substring(0, k.length() - 5), Html.bytes(n.longValue()));
                else shown.put(k, v);
            });
            s.append("<div><h2>Host</h2>").append(Html.keyValues(shown, "host"));
            // the long blocks (kernel config, module parameters, vulnerabilities): folded, as a grid
            for (var b : blocks.entrySet()) {
                if (b.getValue().isEmpty()) continue;
                s.append("<details class=\"host-block\"><summary>").append(e(Html.words(b.getKey()))).append("</summary>");
                boolean nested = b.getValue().values().stream().allMatch(v -> v instanceof Map<?, ?>);
                if (nested) {
                    for (var sub : b.getValue().entrySet()) {
                        s.append("<h4>").append(e(sub.getKey())).append("</h4>");
                        grid(s, (Map<?, ?>) sub.getValue());
                    }
                } else {
                    grid(s, b.getValue());
                }
                s.append("</details>");
            }
            s.append("</div>");
        }
        s.append("</section>");
    }
}
