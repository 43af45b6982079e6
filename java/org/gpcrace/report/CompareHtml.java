package org.gpcrace.report;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.gpcrace.compare.Comparison;
import org.gpcrace.compare.Comparison.Cell;
import org.gpcrace.compare.Comparison.Group;
import org.gpcrace.compare.Comparison.Judged;
import org.gpcrace.compare.Comparison.LatencyRow;
import org.gpcrace.compare.Comparison.Row;
import org.gpcrace.compare.Comparison.Spread;
import org.gpcrace.compare.HostNames;
import org.gpcrace.compare.Input;
import org.gpcrace.compare.LatencyRecord;
import org.gpcrace.compare.TestRecord;
import org.gpcrace.compare.Verdict;
import org.gpcrace.report.chart.Charts;
import org.gpcrace.report.chart.LatencySeries;

/**
 * The compare page: a self-contained HTML file (the run report's page style) with the hosts and
 * the facts in which they differ, the verdict table with Unexpected rows first (a cell per host:
 * count/rounds and its verdict, the skip reason where a host could not run the test), the
 * latency percentiles per host with their spread, the model's latency error (signed MPE, MAPE)
 * where there is a model, and a percentile plot per latency metric with a line per host.
 */
public final class CompareHtml {
    private CompareHtml() {}

    public static String render(Comparison.Result res) {
        List<HostNames.Name> names = HostNames.of(res.hardware());
        StringBuilder s = new StringBuilder();
        String title = "gpcrace compare: " + res.hardware().size() + " host" + (res.hardware().size() == 1 ? "" : "s") + " against "
                + (res.declared() ? "their declared expectations" : "a model");
        s.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(e(title)).append("</title><style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1300px}table{border-collapse:collapse;margin:.5em 0}")
                .append("td,th{border:1px solid #ccc;padding:2px 8px;font-size:13px;text-align:left;vertical-align:top}th{background:#eee}")
                .append(".unexpected{background:#fdd;color:#900;font-weight:bold}.forgiven{background:#eef}.missing{color:#886}")
                .append(".agree{}.differs{background:#ffc}.num{text-align:right}.small{font-size:11px;color:#555}code{background:#f4f4f4}")
                .append("</style></head><body>");
        s.append("<h1>").append(e(title)).append("</h1>");
        s.append("<p class=\"").append(res.anyUnexpected() ? "unexpected" : "agree").append("\">")
                .append(res.anyUnexpected() ? "!!! Unexpected: " + (res.declared() ? "a host shows what its tests declare it must not"
                        : "the hardware shows what the model forbids") : "no Unexpected verdict").append("</p>");
        s.append("<p>verdicts over all hosts: ").append(res.count(Verdict.AGREE)).append(" =, ").append(res.count(Verdict.FORGIVEN))
                .append(" Forgiven, ").append(res.count(Verdict.UNEXPECTED)).append(" !!! Unexpected, ").append(res.count(Verdict.MISSING))
                .append(" Missing. Reference: ").append(res.declared()
                        ? "each test's declared expectation (a FORBIDDEN outcome: Never; a declared-unsafe control's race: Sometimes; other outcomes: any)"
                        : "model <code>" + e(res.model().file()) + "</code>").append("</p>");
        hosts(s, res, names);
        verdicts(s, res, names);
        latency(s, res, names);
        return s.append("</body></html>\n").toString();
    }

    private static void hosts(StringBuilder s, Comparison.Result res, List<HostNames.Name> names) {
        s.append("<h2>Hosts</h2><table><tr><th></th>");
        for (int i = 0; i < names.size(); i++) s.append("<th>[").append(i + 1).append("] ").append(e(names.get(i).line())).append("</th>");
        s.append("</tr>");
        Map<String, List<String>> facts = new LinkedHashMap<>();
        List<Input> in = res.hardware();
        fact(facts, "file", in, x -> x.file());
        fact(facts, "CPU", in, x -> x.host() == null ? null : x.host().cpuModel());
        fact(facts, "microcode", in, x -> x.host() == null ? null : x.host().microcode());
        fact(facts, "CPUs online", in, x -> x.host() == null ? null : x.host().onlineCpus() + " (" + x.host().onlineCpuList() + ")");
        fact(facts, "kernel", in, x -> x.host() == null ? null : x.host().kernel());
        fact(facts, "kernel build", in, x -> x.host() == null ? null : x.host().kernelBuild());
        fact(facts, "nested (a guest)", in, x -> x.host() == null ? null : String.valueOf(x.host().nested()));
        fact(facts, "PREEMPT_RT", in, x -> x.host() == null ? null : String.valueOf(x.host().preemptRt()));
        fact(facts, "THP", in, x -> x.host() == null ? null : x.host().thpMode() + (x.host().thpDefrag() == null ? "" : ", defrag " + x.host().thpDefrag()));
        fact(facts, "mitigations=", in, x -> x.host() == null ? null : x.host().mitigations());
        fact(facts, "tool", in, x -> x.run() == null ? x.tool() : x.tool() + " " + x.run().toolVersion() + " (commit " + x.run().toolCommit() + ")");
        fact(facts, "command", in, x -> x.run() == null ? null : x.run().command());
        fact(facts, "bridge / isolation", in, x -> x.run() == null ? null : x.run().bridge() + " / " + x.run().isolation());
        fact(facts, "JVM", in, x -> x.run() == null ? null : x.run().jvm());
        for (var f : facts.entrySet()) hostRow(s, f.getKey(), f.getValue());
        // the long maps: only the entries that differ between hosts, and how many agree
        maps(s, "kernel config", in.stream().map(x -> x.host() == null ? null : x.host().kernelConfig()).toList());
        maps(s, "kvm parameter", in.stream().map(x -> x.host() == null ? null : flatten(x.host().kvm())).toList());
        maps(s, "vulnerability", in.stream().map(x -> x.host() == null ? null : x.host().vulnerabilities()).toList());
        maps(s, "option", in.stream().map(x -> x.run() == null ? null : strings(x.run().options())).toList());
        s.append("</table>");
    }

    private static void fact(Map<String, List<String>> facts, String name, List<Input> in, java.util.function.Function<Input, String> f) {
        facts.put(name, in.stream().map(f).toList());
    }

    private static void hostRow(StringBuilder s, String name, List<String> values) {
        if (values.stream().allMatch(Objects::isNull)) return;
        boolean differs = values.stream().distinct().count() > 1;
        s.append("<tr><th>").append(e(name)).append("</th>");
        for (String v : values) s.append("<td").append(differs ? " class=\"differs\"" : "").append(">").append(e(v == null ? "-" : v)).append("</td>");
        s.append("</tr>");
    }

    private static void maps(StringBuilder s, String what, List<Map<String, String>> maps) {
        if (maps.stream().allMatch(Objects::isNull)) return;
        Set<String> keys = new LinkedHashSet<>();
        maps.forEach(m -> { if (m != null) keys.addAll(m.keySet()); });
        int same = 0;
        for (String k : keys) {
            List<String> vs = maps.stream().map(m -> m == null ? null : m.get(k)).toList();
            if (vs.stream().distinct().count() > 1) hostRow(s, what + " " + k, vs);
            else same++;
        }
        s.append("<tr><th>").append(e(what)).append("s</th><td colspan=\"").append(maps.size()).append("\" class=\"small\">")
                .append(same).append(" of ").append(keys.size()).append(" equal on every host").append(same < keys.size() ? " (the others above)" : "")
                .append("</td></tr>");
    }

    private static Map<String, String> flatten(Map<String, Map<String, String>> kvm) {
        Map<String, String> out = new LinkedHashMap<>();
        kvm.forEach((m, ps) -> ps.forEach((k, v) -> out.put(m + "." + k, v)));
        return out;
    }

    private static Map<String, String> strings(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private static void verdicts(StringBuilder s, Comparison.Result res, List<HostNames.Name> names) {
        s.append("<h2>Verdicts</h2><p>One row per test and outcome; rows with <b>!!! Unexpected</b> first. A host's cell: count/rounds and its verdict"
                + " against the ").append(res.declared() ? "declared expectation" : "model").append(" (Forgiven: allowed but not seen, with the"
                + " 95% bound on its rate); Missing: the host did not run the test, and why.</p>");
        List<String[]> unexpected = new ArrayList<>();
        StringBuilder head = new StringBuilder("<table><tr><th>test</th><th>outcome</th><th>expect</th><th>")
                .append(res.declared() ? "declared" : "model").append("</th>");
        for (int i = 0; i < names.size(); i++) head.append("<th>[").append(i + 1).append("] ").append(e(names.get(i).line())).append("</th>");
        head.append("<th>").append(names.size() > 1 ? "all hosts" : "verdict").append("</th></tr>");
        StringBuilder first = new StringBuilder(), rest = new StringBuilder(), quiet = new StringBuilder();
        int quietRows = 0;
        for (Group g : CompareReport.ordered(res)) {
            for (Row r : g.rows()) {
                StringBuilder tr = r.verdict() == Verdict.UNEXPECTED ? first : CompareReport.quiet(r) ? quiet : rest;
                if (tr == quiet) quietRows++;
                row(tr, g, r);
            }
        }
        s.append(head).append(first).append(rest).append("</table>");
        if (quietRows > 0) {
            s.append("<details><summary>").append(quietRows).append(" rows where nothing was seen and none was expected</summary>")
                    .append(head).append(quiet).append("</table></details>");
        }
    }

    private static void row(StringBuilder s, Group g, Row r) {
        s.append("<tr><td>").append(e(g.name())).append(hwNames(g)).append("</td><td>").append(e(r.outcome())).append("</td><td>")
                .append(e(r.grade() == null ? "" : r.grade().label())).append("</td><td>").append(e(CompareReport.referenceText(r))).append("</td>");
        for (int i = 0; i < r.hardware().size(); i++) {
            Cell c = r.hardware().get(i);
            Judged j = r.hosts().get(i);
            s.append("<td class=\"").append(cls(j.verdict())).append("\">").append(e(CompareReport.cellText(c, j)));
            if (j.note() != null) s.append("<div class=\"small\">").append(e(j.note())).append("</div>");
            s.append("</td>");
        }
        s.append("<td class=\"").append(cls(r.verdict())).append("\">").append(e(r.verdict().label()));
        if (r.note() != null) s.append("<div class=\"small\">").append(e(r.note())).append("</div>");
        s.append("</td></tr>");
    }

    private static String hwNames(Group g) {
        Set<String> names = new LinkedHashSet<>();
        g.hardware().forEach(l -> l.forEach(t -> { if (g.model() == null || !t.name().equals(g.model().name())) names.add(t.name()); }));
        return names.isEmpty() ? "" : "<div class=\"small\">hardware: " + e(String.join(", ", names)) + "</div>";
    }

    private static String cls(Verdict v) {
        return switch (v) {
            case AGREE -> "agree";
            case UNEXPECTED -> "unexpected";
            case FORGIVEN -> "forgiven";
            case MISSING -> "missing";
        };
    }

    private static void latency(StringBuilder s, Comparison.Result res, List<HostNames.Name> names) {
        if (res.spreads().isEmpty()) return;
        boolean model = res.spreads().stream().anyMatch(x -> x.model() != null);
        s.append("<h2>Latency</h2><p>Percentiles per host; the spread is max/min across the hosts that measured it.</p><table><tr><th>test</th><th>metric</th><th>pctl</th>");
        if (model) s.append("<th>model</th>");
        for (int i = 0; i < names.size(); i++) s.append("<th>[").append(i + 1).append("]</th>");
        s.append("<th>min</th><th>max</th><th>max/min</th></tr>");
        for (Spread x : res.spreads()) {
            s.append("<tr><td>").append(e(x.test())).append("</td><td>").append(e(x.metric())).append(" (").append(e(x.unit())).append(")</td><td>")
                    .append(e(x.percentile())).append("</td>");
            if (model) s.append("<td class=\"num\">").append(CompareReport.num(x.model())).append("</td>");
            for (Double v : x.hosts()) s.append("<td class=\"num\">").append(CompareReport.num(v)).append("</td>");
            s.append("<td class=\"num\">").append(CompareReport.num(x.min())).append("</td><td class=\"num\">").append(CompareReport.num(x.max()))
                    .append("</td><td class=\"num\">").append(x.ratio() == null ? "-" : String.format(java.util.Locale.ROOT, "%.2f", x.ratio())).append("</td></tr>");
        }
        s.append("</table>");
        if (!res.latencies().isEmpty()) {
            s.append("<h3>Against the model</h3><table><tr><th>test</th><th>metric</th><th>host</th><th>hardware/model per percentile</th>"
                    + "<th>signed MPE</th><th>MAPE</th><th>within ").append(CompareReport.fmt(res.tolerancePct())).append("%</th></tr>");
            for (LatencyRow l : res.latencies()) {
                StringBuilder ratios = new StringBuilder();
                for (var p : l.percentiles()) ratios.append(ratios.isEmpty() ? "" : ", ").append(p.p()).append(' ').append(String.format(java.util.Locale.ROOT, "%.3f", p.ratio()));
                s.append("<tr><td>").append(e(l.test())).append("</td><td>").append(e(l.metric())).append("</td><td>").append(e(l.input()))
                        .append("</td><td>").append(e(ratios.toString())).append("</td><td class=\"num\">")
                        .append(String.format(java.util.Locale.ROOT, "%+.1f%%", l.mpe())).append("</td><td class=\"num\">")
                        .append(String.format(java.util.Locale.ROOT, "%.1f%%", l.mape())).append("</td><td class=\"").append(l.flagged() ? "unexpected\">!!! no" : "agree\">yes")
                        .append("</td></tr>");
            }
            s.append("</table>");
        }
        charts(s, res, names);
    }

    /** A percentile plot per hardware test and metric, a line per host whose results carry the histogram. */
    private static void charts(StringBuilder s, Comparison.Result res, List<HostNames.Name> names) {
        Map<String, List<LatencySeries>> plots = new LinkedHashMap<>();
        for (Group g : res.groups()) {
            for (int i = 0; i < g.hardware().size(); i++) {
                for (TestRecord t : g.hardware().get(i)) {
                    if (!t.ran()) continue;
                    for (LatencyRecord l : t.latencies().values()) {
                        Histogram h = decode(l.hdr());
                        if (h == null || !"ns".equals(l.unit())) continue;
                        plots.computeIfAbsent(t.name() + ": " + l.metric(), k -> new ArrayList<>()).add(new LatencySeries("[" + (i + 1) + "] " + names.get(i).line(), h));
                    }
                }
            }
        }
        for (var p : plots.entrySet()) s.append(Charts.percentilePlot(p.getKey(), p.getValue()));
    }

    private static Histogram decode(String hdr) {
        if (hdr == null || hdr.isEmpty()) return null;
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(hdr)), 0);
        } catch (java.util.zip.DataFormatException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
            return null; // a corrupt histogram loses its chart line; the table still has the percentiles
        }
    }

    private static String e(String s) { return JunitXmlReport.esc(s); }

}
