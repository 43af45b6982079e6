package org.gpcrace.sys;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;

/** Facts about this host that decide what gpcrace can do and that every result records. */
public record HostFacts(String kernel, String cpuModel, int onlineCpus, String onlineCpuList,
        boolean invariantTsc, String thpMode, long swapBytes, int numaNodes, boolean root,
        long memAvailableBytes, long hugePagesFree, long hugePageBytes) {

    private static volatile HostFacts cached;

    public static HostFacts probe() {
        HostFacts h = cached;
        if (h != null) return h;
        synchronized (HostFacts.class) { // one instance, so that info() read on the prewarm thread is the one the run finds
            if (cached == null) cached = read();
            return cached;
        }
    }

    private static HostFacts read() {
        String cpuinfo = ProcFiles.read("/proc/cpuinfo").orElse("");
        String model = cpuinfo.lines().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        String flags = " " + cpuinfo.lines().filter(l -> l.startsWith("flags")).findFirst().orElse("") + " ";
        boolean invariant = flags.contains(" constant_tsc ") && flags.contains(" nonstop_tsc ");
        File[] nodes = new File("/sys/devices/system/node").listFiles((d, n) -> n.matches("node\\d+"));
        boolean root = ProcFiles.read("/proc/self/status").flatMap(s -> s.lines().filter(l -> l.startsWith("Uid:")).findFirst())
                .map(l -> l.split("\\s+")[2].equals("0")).orElse(false);
        return new HostFacts(
                ProcFiles.read("/proc/sys/kernel/osrelease").orElse(System.getProperty("os.version")),
                model, Runtime.getRuntime().availableProcessors(),
                ProcFiles.read("/sys/devices/system/cpu/online").orElse("?"),
                invariant, ProcFiles.bracketed("/sys/kernel/mm/transparent_hugepage/enabled").orElse("unsupported"),
                Math.max(0, ProcFiles.meminfoBytes("SwapTotal")), nodes == null ? 1 : Math.max(1, nodes.length), root,
                ProcFiles.meminfoBytes("MemAvailable"), Math.max(0, ProcFiles.meminfoCount("HugePages_Free")),
                Math.max(0, ProcFiles.meminfoBytes("Hugepagesize")));
    }

    public boolean thpUsable() { return thpMode.equals("always") || thpMode.equals("madvise"); }

    public boolean hasSwap() { return swapBytes > 0; }

    /**
     * As results.json records the host: read when a run writes its results or the prewarm thread
     * makes it ready (never for --version), once per probe (the kernel config is read, maybe
     * unzipped, for it), each fact from the file the kernel publishes it in; a fact that cannot be
     * read is "unknown" or an empty map, never an error.
     */
    public org.gpcrace.result.HostInfo info() {
        InfoOf c = infoCache;
        if (c != null && c.of() == this) return c.info();
        synchronized (HostFacts.class) { // a read in flight on the prewarm thread is waited for, not done again
            c = infoCache;
            if (c != null && c.of() == this) return c.info();
            org.gpcrace.result.HostInfo i = readInfo();
            infoCache = new InfoOf(this, i);
            return i;
        }
    }

    private record InfoOf(HostFacts of, org.gpcrace.result.HostInfo info) {}

    private static volatile InfoOf infoCache;

    private org.gpcrace.result.HostInfo readInfo() {
        String cpuinfo = ProcFiles.read("/proc/cpuinfo").orElse("");
        String microcode = cpuinfo.lines().filter(l -> l.startsWith("microcode")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        // the hypervisor CPUID bit: this machine is a guest, so KVM here runs nested
        boolean nested = (cpuinfo.lines().filter(l -> l.startsWith("flags")).findFirst().orElse("") + " ").contains(" hypervisor ");
        String version = ProcFiles.read("/proc/sys/kernel/version").orElse("unknown");
        KernelConfig config = KernelConfig.read(kernel);
        boolean rt = ProcFiles.read("/sys/kernel/realtime").map(String::strip).orElse("0").equals("1") || version.contains("PREEMPT_RT")
                || "y".equals(config.options().get("PREEMPT_RT"));
        String cmdline = ProcFiles.read("/proc/cmdline").orElse("");
        String mitigations = java.util.Arrays.stream(cmdline.split("\\s+")).filter(w -> w.startsWith("mitigations=")).findFirst()
                .map(w -> w.substring("mitigations=".length())).orElse("default");
        return new org.gpcrace.result.HostInfo(ProcFiles.read("/proc/sys/kernel/hostname").map(String::strip).orElse("unknown"), kernel,
                cpuModel, microcode, onlineCpus, onlineCpuList, invariantTsc, thpMode, swapBytes, numaNodes, root, memAvailableBytes,
                hugePagesFree, hugePageBytes, rt, nested, mitigations, version,
                ProcFiles.bracketed("/sys/kernel/mm/transparent_hugepage/defrag").orElse("unsupported"),
                config.source(), config.options(), SysfsMaps.kvmModules(), SysfsMaps.vulnerabilities());
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernel", kernel);
        m.put("cpuModel", cpuModel);
        m.put("onlineCpus", onlineCpus);
        m.put("onlineCpuList", onlineCpuList);
        m.put("invariantTsc", invariantTsc);
        m.put("thpMode", thpMode);
        m.put("swapBytes", swapBytes);
        m.put("numaNodes", numaNodes);
        m.put("root", root);
        m.put("memAvailableBytes", memAvailableBytes);
        m.put("hugePagesFree", hugePagesFree);
        m.put("hugePageBytes", hugePageBytes);
        return m;
    }
}
