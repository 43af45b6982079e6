package org.gpcrace.scenario.gpc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.gpcrace.sys.ProcFiles;

/**
 * Which CPU each actor is pinned to: the invalidator on the first allowed CPU, the readers on
 * the following ones (wrapping around when there are fewer CPUs than actors), the userfaultfd
 * monitor on a spare CPU or beside the invalidator (it runs while the madvise thread waits for
 * it). Actor numbering is the native one: 0 invalidator, 1..R readers, R+1 monitor.
 */
public record Placement(List<Integer> cpus, int readers, boolean distinct) {

    public static Placement plan(List<Integer> allowed, int readers) {
        List<Integer> use = allowed.isEmpty() ? allowedCpus() : allowed;
        int n = use.size();
        List<Integer> cpus = new ArrayList<>();
        cpus.add(use.get(0));
        for (int r = 0; r < readers; r++) cpus.add(n > 1 ? use.get((1 + r) % n) : use.get(0));
        cpus.add(n >= readers + 2 ? use.get(readers + 1) : use.get(0));
        return new Placement(List.copyOf(cpus), readers, n >= readers + 1);
    }

    /** The CPUs this process may run on (Cpus_allowed_list), else 0 .. availableProcessors-1. */
    public static List<Integer> allowedCpus() {
        String list = ProcFiles.read("/proc/self/status").flatMap(s -> s.lines()
                .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst())
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("");
        List<Integer> cpus = list.isEmpty() ? List.of() : parseList(list);
        if (!cpus.isEmpty()) return cpus;
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) all.add(i);
        return all;
    }

    /** "0-3,6" -> [0, 1, 2, 3, 6]; a bad list is refused with a one-line reason. */
    public static List<Integer> parseList(String list) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : list.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            try {
                int dash = p.indexOf('-');
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).trim());
                if (lo < 0 || hi < lo || hi > 4095) throw new NumberFormatException();
                for (int c = lo; c <= hi; c++) out.add(c);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--cpus: '" + p + "' is not a CPU or a range like 0-3");
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException("--cpus: no CPU in '" + list + "'");
        return List.copyOf(out);
    }

    public int invalidatorCpu() { return cpus.get(0); }

    public int cpuOf(int actor) { return cpus.get(actor); }

    public static String actorName(int actor, int readers) {
        if (actor == 0) return "invalidator";
        return actor <= readers ? "reader" + (actor - 1) : "uffd-monitor";
    }

    /** Planned and observed CPU per actor, for results.json. observed[i] < 0: not seen. */
    public Map<String, Object> describe(int[] observed, boolean uffd) {
        Map<String, Object> m = new LinkedHashMap<>();
        int actors = readers + (uffd ? 2 : 1);
        for (int a = 0; a < actors; a++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("pinned", cpus.get(a));
            e.put("seen", observed != null && a < observed.length && observed[a] >= 0 ? observed[a] : null);
            m.put(actorName(a, readers), e);
        }
        m.put("distinctCpus", distinct);
        return m;
    }

    /** A one-line note when readers share CPUs with the invalidator, else null. */
    public String note() {
        return distinct ? null : (readers + 1) + " actors on fewer CPUs: readers share CPUs with the invalidator,"
                + " so races are rarer and TLB shootdowns are not exercised";
    }
}
