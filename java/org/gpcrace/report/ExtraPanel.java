package org.gpcrace.report;

import static org.gpcrace.report.Html.e;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gpcrace.result.Json;
import org.gpcrace.result.TestExtra;

/**
 * A scenario's typed block that has no panel of its own: its fields in words with their values,
 * a multi-line text (a wait cycle, a trace) kept as lines. Records only, so the names are the
 * record's, never keys another package made up.
 */
final class ExtraPanel {
    private ExtraPanel() {}

    static void render(StringBuilder s, TestExtra x) {
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = Json.MAPPER.convertValue(x, LinkedHashMap.class);
        fields.remove("type");
        fields.values().removeIf(v -> v == null);
        if (fields.isEmpty()) return;
        s.append("<h3>Details</h3><table class=\"kv extra\">");
        for (var f : fields.entrySet()) {
            String v = f.getValue() instanceof Map<?, ?> m ? String.join(", ", m.entrySet().stream().map(en -> en.getKey() + " " + en.getValue()).toList())
                    : f.getValue() instanceof Long || f.getValue() instanceof Integer ? Html.count(((Number) f.getValue()).longValue())
                    : Html.value(f.getValue());
            s.append("<tr><th title=\"").append(e(f.getKey())).append("\">").append(e(Html.words(f.getKey()))).append("</th><td>");
            if (v.contains("\n")) s.append("<code class=\"block\">").append(e(v)).append("</code>");
            else s.append(e(v));
            s.append("</td></tr>");
        }
        s.append("</table>");
    }
}
