package org.gpcrace.measure;

import org.gpcrace.protocol.Source;
import java.util.List;
import org.gpcrace.sys.Backing;

/**
 * Everything `gpcrace latency` was asked to do, validated. {@code cpus.get(0)} runs the measuring
 * thread; the others run helpers (spinners, drain readers, monitors, waiters). An empty
 * {@code backings} means each probe's natural backing.
 */
public record LatencyOptions(List<String> probes, Budget budget, List<Long> sizes, List<Integer> spinners,
        List<Integer> readers, List<Integer> cpus, List<Backing> backings, List<Source> sources) {

    public int measuringCpu() { return cpus.get(0); }

    public List<Integer> helperCpus() { return cpus.subList(1, cpus.size()); }
}
