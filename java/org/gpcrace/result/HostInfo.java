package org.gpcrace.result;

import java.util.Map;

/**
 * The machine a run was made on, as results.json records it: enough to tell hosts apart when
 * results from several are compared (gpcrace compare over a fleet), and to see which of their
 * differences can matter for the race and the latencies: CPU and microcode, kernel build and the
 * config flags that change scheduling or the paths measured, THP, the KVM modules' parameters,
 * speculation mitigations, and whether this machine is itself a guest (nested).
 *
 * @param kernelBuild        /proc/sys/kernel/version ("#1 SMP PREEMPT_DYNAMIC ...")
 * @param kernelConfigSource where kernelConfig was read (/proc/config.gz, /boot/config-RELEASE) or "unavailable"
 * @param kernelConfig       the CONFIG_ options that matter here (name without CONFIG_, value y/m/n or a number)
 * @param kvm                module -> parameter -> value, from /sys/module/kvm*&#47;parameters
 * @param vulnerabilities    /sys/devices/system/cpu/vulnerabilities: name -> status line
 */
public record HostInfo(String hostname, String kernel, String cpuModel, String microcode, int onlineCpus, String onlineCpuList,
        boolean invariantTsc, String thpMode, long swapBytes, int numaNodes, boolean root, long memAvailableBytes,
        long hugePagesFree, long hugePageBytes, boolean preemptRt, boolean nested, String mitigations,
        String kernelBuild, String thpDefrag, String kernelConfigSource, Map<String, String> kernelConfig,
        Map<String, Map<String, String>> kvm, Map<String, String> vulnerabilities) {

    public HostInfo {
        kernelConfig = kernelConfig == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(kernelConfig));
        vulnerabilities = vulnerabilities == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(vulnerabilities));
        java.util.TreeMap<String, Map<String, String>> k = new java.util.TreeMap<>();
        if (kvm != null) kvm.forEach((m, ps) -> k.put(m, java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(ps))));
        kvm = java.util.Collections.unmodifiableMap(k);
    }
}
