package org.gpcrace.scenario.gpc;

import java.util.ArrayList;
import java.util.List;
import org.gpcrace.sys.CpuList;

/**
 * Which CPU each actor is pinned to. Actor numbering is the native one (gpcrace.h cpus[]):
 * 0 invalidator, 1..R readers, R+1 userfaultfd monitor, R+2 second invalidator, R+3 storm,
 * R+4 defer worker. The invalidator takes the first allowed CPU, the readers the following ones
 * (wrapping around when there are fewer CPUs than actors), the second invalidator and the storm
 * the next ones after the readers, the monitor and the defer worker (which mostly wait) a spare
 * CPU or the invalidator's.
 *
 * @param distinct every actor that runs (invalidators, readers, storm) has a CPU of its own
 */
public record Placement(List<Integer> cpus, int readers, boolean distinct) {

    public static Placement plan(List<Integer> allowed, int readers) { return plan(allowed, readers, 1, false); }

    public static Placement plan(List<Integer> allowed, int readers, int invalidators, boolean storm) {
        List<Integer> use = allowed.isEmpty() ? CpuList.allowed() : allowed;
        int n = use.size();
        List<Integer> cpus = new ArrayList<>();
        cpus.add(use.get(0));
        for (int r = 0; r < readers; r++) cpus.add(n > 1 ? use.get((1 + r) % n) : use.get(0));
        int busy = readers + 1 + (invalidators > 1 ? 1 : 0) + (storm ? 1 : 0);
        cpus.add(n >= readers + 2 ? use.get(readers + 1) : use.get(0));   // monitor
        cpus.add(use.get((readers + 1) % n));                             // second invalidator
        cpus.add(use.get((readers + (invalidators > 1 ? 2 : 1)) % n));     // storm
        cpus.add(n > busy ? use.get(busy % n) : use.get(0));              // defer worker
        return new Placement(List.copyOf(cpus), readers, n >= busy);
    }

    public int invalidatorCpu() { return cpus.get(0); }

    public int cpuOf(int actor) { return cpus.get(actor); }

    public static String actorName(int actor, int readers) {
        if (actor == 0) return "invalidator";
        if (actor <= readers) return "reader" + (actor - 1);
        return switch (actor - readers) {
            case 1 -> "uffd-monitor";
            case 2 -> "invalidator2";
            case 3 -> "storm";
            default -> "defer-worker";
        };
    }

    /** A one-line note when actors share CPUs, else null. */
    public String note() {
        return distinct ? null : "actors on fewer CPUs than there are of them: they share CPUs, so races are rarer"
                + " and TLB shootdowns are not exercised";
    }
}
