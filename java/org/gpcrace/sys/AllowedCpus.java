package org.gpcrace.sys;

import java.util.ArrayList;
import java.util.List;

/** The CPUs this process may run on (Cpus_allowed_list of /proc/self/status), for actor placement. */
public final class AllowedCpus {
    private AllowedCpus() {}

    public static List<Integer> list() {
        String line = ProcFiles.read("/proc/self/status").flatMap(s -> s.lines().filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst())
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("");
        List<Integer> cpus = parse(line);
        if (cpus.isEmpty()) for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) cpus.add(i);
        return cpus;
    }

    /** "0-3,6" -> [0, 1, 2, 3, 6]; an empty or malformed list gives []. */
    static List<Integer> parse(String s) {
        List<Integer> out = new ArrayList<>();
        try {
            for (String part : s.split(",")) {
                part = part.trim();
                if (part.isEmpty()) continue;
                int dash = part.indexOf('-');
                int lo = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                int hi = dash < 0 ? lo : Integer.parseInt(part.substring(dash + 1));
                for (int c = lo; c <= hi; c++) out.add(c);
            }
        } catch (NumberFormatException e) {
            return new ArrayList<>();
        }
        return out;
    }
}
