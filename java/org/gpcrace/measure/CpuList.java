package org.gpcrace.measure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.gpcrace.sys.ProcFiles;

/** CPU lists as Linux writes them ("0-3,5"), and the CPUs this process may run on. */
public final class CpuList {
    private CpuList() {}

    /** Parses "0-3,5" (order kept, duplicates refused); bad input throws IllegalArgumentException naming the option. */
    public static List<Integer> parse(String option, String text) {
        Set<Integer> out = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-');
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1));
                if (lo < 0 || hi < lo) throw new NumberFormatException();
                for (int c = lo; c <= hi; c++) {
                    if (!out.add(c)) throw new IllegalArgumentException(option + ": " + c + " is listed twice in '" + text + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": '" + p + "' is not a number or range (example: 0-3,5)");
            }
        }
        return new ArrayList<>(out);
    }

    /** The CPUs this process may run on (Cpus_allowed_list), or 0..n-1 when it cannot be read. */
    public static List<Integer> allowed() {
        return ProcFiles.read("/proc/self/status").flatMap(s -> s.lines().filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst())
                .map(l -> parse("Cpus_allowed_list", l.substring(l.indexOf(':') + 1).trim()))
                .orElseGet(() -> {
                    List<Integer> l = new ArrayList<>();
                    for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) l.add(i);
                    return l;
                });
    }
}
