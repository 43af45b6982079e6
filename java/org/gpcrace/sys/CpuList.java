package org.gpcrace.sys;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** CPU lists as Linux writes them ("0-3,5"): the one parser, and the CPUs this process may run on. */
public final class CpuList {
    private CpuList() {}

    static final int MAX_CPU = 8191;

    /**
     * Parses "0-3,5" (order kept; a number listed twice, a reversed range or anything else is
     * refused with one line naming {@code option}). Also used for lists of counts (--spinners).
     */
    public static List<Integer> parse(String option, String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException(option + ": an empty list (example: 0-3,5)");
        Set<Integer> out = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-', 1);
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).trim());
                if (lo < 0 || hi < lo || hi > MAX_CPU) throw new NumberFormatException();
                for (int c = lo; c <= hi; c++) {
                    if (!out.add(c)) throw new IllegalArgumentException(option + ": " + c + " is listed twice in '" + text + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": '" + p + "' is not a number or a range like 0-3 (0.." + MAX_CPU + ")");
            }
        }
        return new ArrayList<>(out);
    }

    /** A list of CPUs that must all be ones this process may run on (refused with one line otherwise). */
    public static List<Integer> allowedSubset(String option, String text) {
        List<Integer> cpus = parse(option, text), allowed = allowed();
        for (int c : cpus) {
            if (!allowed.contains(c)) {
                throw new IllegalArgumentException(option + ": CPU " + c + " is not one this process may run on (allowed: " + format(allowed) + ")");
            }
        }
        return cpus;
    }

    /** The CPUs this process may run on (Cpus_allowed_list of /proc/self/status), or 0..n-1 when it cannot be read. */
    public static List<Integer> allowed() {
        return ProcFiles.read("/proc/self/status").flatMap(s -> s.lines().filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst())
                .map(l -> parse("Cpus_allowed_list", l.substring(l.indexOf(':') + 1).trim()))
                .orElseGet(() -> {
                    List<Integer> l = new ArrayList<>();
                    for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) l.add(i);
                    return l;
                });
    }

    /** [0, 1, 2, 5] -> "0-2,5". */
    public static String format(List<Integer> cpus) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cpus.size(); ) {
            int j = i;
            while (j + 1 < cpus.size() && cpus.get(j + 1) == cpus.get(j) + 1) j++;
            s.append(s.isEmpty() ? "" : ",").append(cpus.get(i)).append(j > i ? "-" + cpus.get(j) : "");
            i = j + 1;
        }
        return s.toString();
    }
}
