package org.gpcrace.report;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What every HTML fragment of the report uses: escaping, numbers as people read them, names in words. */
final class Html {
    private Html() {}

    /** Text and attribute escaping; characters HTML cannot carry (controls, lone surrogates) are dropped. */
    static String e(String s) { return JunitXmlReport.esc(s); }

    static String e(Object o) { return e(o == null ? "" : String.valueOf(o)); }

    /** 1234567 -> "1,234,567". */
    static String count(long n) { return new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(n); }

    /** A measured number: whole numbers grouped, others with 4 significant digits. */
    static String number(double v) {
        if (Double.isNaN(v)) return "";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return count((long) v);
        double a = Math.abs(v);
        if (a >= 1e6 || a < 1e-3) return String.format(Locale.ROOT, "%.4g", v);
        int decimals = Math.max(0, 3 - (int) Math.floor(Math.log10(a)));
        return new DecimalFormat("#,##0." + "#".repeat(Math.max(1, decimals)), DecimalFormatSymbols.getInstance(Locale.ROOT)).format(v);
    }

    /** Bytes in binary units: 7.6 GiB, 2 MiB, 512 B. */
    static String bytes(long b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = 0;
        while (Math.abs(v) >= 1024 && u < units.length - 1) { v /= 1024; u++; }
        return (v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v)) + " " + units[u];
    }

    private static final Map<String, String> WORDS = Map.ofEntries(Map.entry("cpu", "CPU"), Map.entry("cpus", "CPUs"),
            Map.entry("tsc", "TSC"), Map.entry("thp", "THP"), Map.entry("kvm", "KVM"), Map.entry("numa", "NUMA"),
            Map.entry("rt", "RT"), Map.entry("id", "ID"), Map.entry("jvm", "JVM"), Map.entry("gpc", "GPC"), Map.entry("hdr", "HDR"),
            Map.entry("uffd", "userfaultfd"), Map.entry("mmu", "MMU"), Map.entry("io", "I/O"), Map.entry("srcu", "SRCU"),
            Map.entry("rcu", "RCU"), Map.entry("ms", "ms"), Map.entry("ns", "ns"), Map.entry("us", "µs"));

    /** A camelCase or snake_case key in words: "helperCpus" -> "helper CPUs", "unfair_p50" -> "unfair p50". */
    static String words(String key) {
        if (key == null || key.isEmpty()) return "";
        String spaced = key.replace('_', ' ').replaceAll("(?<=[a-z0-9])(?=[A-Z])", " ").replaceAll("(?<=[A-Z])(?=[A-Z][a-z])", " ");
        StringBuilder out = new StringBuilder();
        for (String w : spaced.strip().split("\\s+")) {
            String lower = w.toLowerCase(Locale.ROOT);
            if (out.length() > 0) out.append(' ');
            // "P50" of a camelCase name is the percentile p50; "4K" and the like stay as they are
            out.append(WORDS.getOrDefault(lower, w.matches("[A-Za-z]{1,2}\\d+") ? lower : w.matches(".*\\d.*") ? w : lower));
        }
        return out.toString();
    }

    /** The first letter upper case: a title. */
    static String title(String s) {
        if (s == null || s.isEmpty()) return "";
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A value of a parameter or option as text: lists joined with ", ". */
    static String value(Object v) {
        if (v instanceof List<?> l) return String.join(", ", l.stream().map(String::valueOf).toList());
        if (v instanceof Boolean b) return b ? "yes" : "no";
        if (v instanceof Double d) return number(d);
        if (v instanceof Float f) return number(f);
        return String.valueOf(v);
    }

    /** A two-column table of names in words and values; empty for an empty map. */
    static String keyValues(Map<String, ?> m, String cssClass) {
        if (m == null || m.isEmpty()) return "";
        StringBuilder s = new StringBuilder("<table class=\"kv ").append(cssClass).append("\">");
        for (var en : m.entrySet()) {
            s.append("<tr><th title=\"").append(e(en.getKey())).append("\">").append(e(words(en.getKey()))).append("</th><td>")
                    .append(e(value(en.getValue()))).append("</td></tr>");
        }
        return s.append("</table>").toString();
    }

    /** "t-" + the name with every character an id cannot hold as '_'. */
    static String anchor(String testName) { return "t-" + testName.replaceAll("[^A-Za-z0-9_-]", "_"); }
}
