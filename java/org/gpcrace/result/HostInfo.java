package org.gpcrace.result;

/**
 * The machine a run was made on, as results.json records it: enough to tell hosts apart when
 * results from several are compared.
 */
public record HostInfo(String hostname, String kernel, String cpuModel, String microcode, int onlineCpus, String onlineCpuList,
        boolean invariantTsc, String thpMode, long swapBytes, int numaNodes, boolean root, long memAvailableBytes,
        long hugePagesFree, long hugePageBytes, boolean preemptRt, boolean nested, String mitigations) {}
