package org.gpcrace.scenario.gpc;

import java.util.ArrayList;
import java.util.List;
import org.gpcrace.sys.CpuList;

/**
 * Which CPU each actor is pinned to: the invalidator on the first allowed CPU, the readers on
 * the following ones (wrapping around when there are fewer CPUs than actors), the userfaultfd
 * monitor on a spare CPU or beside the invalidator (it runs while the madvise thread waits for
 * it). Actor numbering is the native one: 0 invalidator, 1..R readers, R+1 monitor.
 */
public record Placement(List<Integer> cpus, int readers, boolean distinct) {

    public static Placement plan(List<Integer> allowed, int readers) {
        List<Integer> use = allowed.isEmpty() ? CpuList.allowed() : allowed;
        int n = use.size();
        List<Integer> cpus = new ArrayList<>();
        cpus.add(use.get(0));
        for (int r = 0; r < readers; r++) cpus.add(n > 1 ? use.get((1 + r) % n) : use.get(0));
        cpus.add(n >= readers + 2 ? use.get(readers + 1) : use.get(0));
        return new Placement(List.copyOf(cpus), readers, n >= readers + 1);
    }

    public int invalidatorCpu() { return cpus.get(0); }

    public int cpuOf(int actor) { return cpus.get(actor); }

    public static String actorName(int actor, int readers) {
        if (actor == 0) return "invalidator";
        return actor <= readers ? "reader" + (actor - 1) : "uffd-monitor";
    }

    /** A one-line note when readers share CPUs with the invalidator, else null. */
    public String note() {
        return distinct ? null : (readers + 1) + " actors on fewer CPUs: readers share CPUs with the invalidator,"
                + " so races are rarer and TLB shootdowns are not exercised";
    }
}
