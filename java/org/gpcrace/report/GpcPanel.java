package org.gpcrace.report;

import static org.gpcrace.report.Html.count;
import static org.gpcrace.report.Html.e;

import java.util.Map;
import org.gpcrace.result.GpcExtra;

/**
 * The userspace GPC race's own block in report.html: what the protocol and the source do, the
 * start-delay range, the race-window map (chart, and its numbers), where each actor ran, and the
 * errors of failed zaps.
 */
final class GpcPanel {
    private GpcPanel() {}

    static void render(StringBuilder s, GpcExtra g) {
        s.append("<h3>Protocol and invalidation</h3><dl class=\"prose\">");
        if (g.protocolDescription() != null) s.append("<dt>protocol</dt><dd>").append(e(g.protocolDescription())).append("</dd>");
        if (g.sourceDescription() != null) s.append("<dt>invalidation</dt><dd>").append(e(g.sourceDescription())).append("</dd>");
        GpcExtra.DelayRange d = g.delayRange();
        if (d != null) {
            s.append("<dt>start delay</dt><dd>").append(count(d.minNs())).append(" to ").append(count(d.maxNs())).append(" ns, ")
                    .append(d.calibrated() ? "calibrated: 0 to the readers' median loop of " + count(d.readerLoopMedianNs()) + " ns"
                            : "as given").append("</dd>");
        }
        s.append("</dl>");
        if (!g.raceWindow().isEmpty()) {
            s.append("<h3>Race window</h3><p class=\"muted\">Where in the readers' loop an invalidation has to start for a stale access"
                    + " to get through: per start-delay bucket, the share of its rounds that ended with a FORBIDDEN outcome"
                    + " (95% Wilson interval), over the rounds the bucket holds.</p>");
            s.append(TestSection.figure(ResultCharts.raceWindow(g)));
            s.append("<details class=\"numbers\"><summary>The numbers (").append(g.raceWindow().size())
                    .append(" buckets)</summary><table class=\"data\"><tr><th class=\"num\">start delay (ns)</th><th class=\"num\">width (ns)</th>"
                            + "<th class=\"num\">rounds</th><th class=\"num\">stale rounds</th><th class=\"num\">FORBIDDEN rounds</th>"
                            + "<th class=\"num\">FORBIDDEN share</th></tr>");
            for (GpcExtra.WindowBucket b : g.raceWindow()) {
                s.append("<tr><td class=\"num\">").append(count(b.delayNs())).append("</td><td class=\"num\">").append(count(b.widthNs()))
                        .append("</td><td class=\"num\">").append(count(b.rounds())).append("</td><td class=\"num\">").append(count(b.staleRounds()))
                        .append("</td><td class=\"num\">").append(count(b.forbiddenRounds())).append("</td><td class=\"num\">")
                        .append(String.format(java.util.Locale.ROOT, "%.3f%%", b.forbiddenRatePct())).append("</td></tr>");
            }
            s.append("</table></details>");
        }
        if (!g.placement().isEmpty()) {
            s.append("<h3>Placement</h3><table class=\"data\"><tr><th>actor</th><th class=\"num\">pinned to CPU</th><th class=\"num\">seen on CPU</th></tr>");
            for (GpcExtra.ActorCpu a : g.placement()) {
                boolean moved = a.seenCpu() != null && a.seenCpu() != a.pinnedCpu();
                s.append("<tr").append(moved ? " class=\"bad\"" : "").append("><td>").append(e(a.actor())).append("</td><td class=\"num\">")
                        .append(a.pinnedCpu()).append("</td><td class=\"num\">").append(a.seenCpu() == null ? "not seen" : a.seenCpu())
                        .append("</td></tr>");
            }
            s.append("</table><p class=\"muted\">").append(g.distinctCpus() ? "Every actor had a CPU of its own."
                    : "Some actors shared a CPU: the race needs true concurrency, so rates here are lower bounds.").append("</p>");
        }
        if (!g.zapErrors().isEmpty()) {
            s.append("<h3>Failed invalidations</h3><table class=\"data\"><tr><th>error</th><th class=\"num\">count</th></tr>");
            for (Map.Entry<String, Long> z : new java.util.TreeMap<>(g.zapErrors()).entrySet()) {
                s.append("<tr><td><code>").append(e(z.getKey())).append("</code></td><td class=\"num\">").append(count(z.getValue())).append("</td></tr>");
            }
            s.append("</table>");
        }
    }
}
