package org.gpcrace.report;

import static org.gpcrace.report.Html.count;
import static org.gpcrace.report.Html.e;

import org.gpcrace.result.ModelExtra;
import org.gpcrace.result.TestResult;

/**
 * An exploration's own block in report.html: its semantics and size, then the shortest
 * interleaving to each reachable FORBIDDEN outcome, one row per atomic step with what it changed.
 */
final class ModelPanel {
    private ModelPanel() {}

    static void render(StringBuilder s, TestResult t, ModelExtra m) {
        s.append("<h3>Exploration</h3><dl class=\"facts\">");
        fact(s, "states explored", count(m.statesExplored()));
        fact(s, "transitions", count(m.transitions()));
        fact(s, "deadlocks", count(m.deadlocks()));
        fact(s, "longest interleaving", m.longestInterleaving() + " steps");
        s.append("</dl>");
        if (m.semantics() != null) s.append("<p class=\"muted\">Semantics: ").append(e(m.semantics())).append("</p>");
        if (m.counterexamples().isEmpty()) {
            s.append("<p>No FORBIDDEN outcome is reachable: no counterexample to show.</p>");
            return;
        }
        for (ModelExtra.Counterexample c : m.counterexamples()) {
            s.append("<details class=\"trace\" open><summary>Shortest interleaving to <code>").append(e(c.outcome())).append("</code> (")
                    .append(c.steps().size()).append(" steps)").append(c.start() == null || c.start().isEmpty() ? "" : ", when " + e(c.start()))
                    .append("</summary><table class=\"data trace\"><tr><th class=\"num\">#</th><th>actor</th><th>step</th><th>what it changed</th></tr>");
            int n = 0;
            for (ModelExtra.Step st : c.steps()) {
                s.append("<tr class=\"actor-").append(Math.abs(st.actor().hashCode()) % 6).append("\"><td class=\"num\">").append(++n)
                        .append("</td><td>").append(e(st.actor())).append("</td><td>").append(e(st.step())).append("</td><td>")
                        .append(st.changes().isEmpty() ? "" : "<code>" + e(String.join(", ", st.changes())) + "</code>").append("</td></tr>");
            }
            s.append("</table></details>");
        }
    }

    private static void fact(StringBuilder s, String name, String valueHtml) {
        s.append("<div><dt>").append(e(name)).append("</dt><dd>").append(valueHtml).append("</dd></div>");
    }
}
