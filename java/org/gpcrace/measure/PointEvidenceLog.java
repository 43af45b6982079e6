package org.gpcrace.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.gpcrace.result.LatencyExtra;

/**
 * What one measured point left as evidence of its isolation, summed over its chunks: the machine's
 * TLB-shootdown IPIs (per CPU) while the chunks ran, the CPUs the measured mm's threads ran on,
 * and its most threads.
 */
final class PointEvidenceLog {
    private long operations;
    private long[] ipis = new long[0];
    private final TreeSet<Integer> mmCpus = new TreeSet<>();
    private int threads;

    void chunk(long ops, long[] before, long[] after, List<Integer> cpus, int mmThreads) {
        operations += ops;
        int n = Math.min(before.length, after.length);
        if (ipis.length < n) ipis = java.util.Arrays.copyOf(ipis, n);
        for (int c = 0; c < n; c++) ipis[c] += Math.max(0, after[c] - before[c]);
        mmCpus.addAll(cpus);
        threads = Math.max(threads, mmThreads);
    }

    long operations() { return operations; }

    long shootdowns() {
        long s = 0;
        for (long v : ipis) s += v;
        return s;
    }

    LatencyExtra.PointEvidence point(String metric) {
        List<Integer> on = new ArrayList<>();
        for (int c = 0; c < ipis.length; c++) if (ipis[c] > 0) on.add(c);
        long s = shootdowns();
        return new LatencyExtra.PointEvidence(metric, operations, s, operations == 0 ? 0 : (double) s / operations, on,
                List.copyOf(mmCpus), threads);
    }
}
