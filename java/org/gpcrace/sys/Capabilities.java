package org.gpcrace.sys;

import org.gpcrace.bridge.Linux;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.NativeCallException;

/**
 * Capability probing (`gpcrace doctor`): each capability is tried for real (a page mapped and its
 * frame read, userfaultfd and io_uring opened, /dev/kvm asked for its API version), and each
 * scenario is judged runnable here or not, with the exact fix.
 */
public final class Capabilities {
    /** One probed capability. */
    public record Capability(String name, boolean available, String detail, String fix) {}

    /** Whether a scenario can run here. */
    public record ScenarioStatus(String scenario, boolean runnable, String note, String fix) {}

    private final Map<String, Capability> caps = new LinkedHashMap<>();
    private final List<ScenarioStatus> scenarios = new ArrayList<>();
    private final HostFacts host = HostFacts.probe();

    // userfaultfd / KVM constants (uapi)
    static final long UFFD_API = 0xAA;
    static final long UFFDIO_API = 0xc018aa3fL;
    public static final long UFFD_FEATURE_EVENT_REMOVE = 1L << 3;
    static final long KVM_GET_API_VERSION = 0xAE00, KVM_CHECK_EXTENSION = 0xAE03;
    static final long KVM_CAP_SYNC_MMU = 16, KVM_CAP_KVMCLOCK_CTRL = 76;

    public static Capabilities probe(String bridgeName) {
        Capabilities c = new Capabilities();
        c.probeAll(bridgeName);
        return c;
    }

    public Capability get(String name) { return caps.get(name); }

    public boolean has(String name) { Capability c = caps.get(name); return c != null && c.available(); }

    public List<ScenarioStatus> scenarios() { return scenarios; }

    public ScenarioStatus scenario(String name) {
        return scenarios.stream().filter(s -> s.scenario().equals(name)).findFirst().orElseThrow();
    }

    private void put(String name, boolean ok, String detail, String fix) {
        LOG.debug("capability {}: {} ({}){}", name, ok ? "yes" : "no", detail, ok ? "" : "; fix: " + fix);
        caps.put(name, new Capability(name, ok, detail, ok ? "" : fix));
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Capabilities.class);

    private void probeAll(String bridgeName) {
        NativeBridge b = null;
        for (String name : Bridges.NAMES) {
            try {
                NativeBridge nb = Bridges.open(name);
                put("bridge-" + name, true, nb.helperVersion(), "");
                if (name.equals(bridgeName)) b = nb;
            } catch (RuntimeException | LinkageError e) {
                put("bridge-" + name, false, String.valueOf(e.getMessage()), "rebuild the native helper with 'make'");
            }
        }
        boolean nativeAccess = Capabilities.class.getModule().isNativeAccessEnabled();
        put("native-access", nativeAccess, nativeAccess ? "enabled" : "restricted",
                "run with --enable-native-access=ALL-UNNAMED (the launcher target/gpcrace does)");
        put("jdk", Runtime.version().feature() >= 25, "Java " + Runtime.version(), "install a JDK >= 25");
        put("cpus", host.onlineCpus() >= 2, host.onlineCpus() + " online (" + host.onlineCpuList() + ")",
                "readers and invalidator share one CPU: races are rare and shootdowns are not exercised; use >= 2 CPUs");
        put("invariant-tsc", host.invariantTsc(), host.invariantTsc() ? "constant_tsc nonstop_tsc" : "not advertised",
                "latencies fall back to CLOCK_MONOTONIC; run on a CPU with an invariant TSC for rdtsc timing");
        boolean capSysAdmin = capSysAdmin();
        put("root", host.root() || capSysAdmin, (host.root() ? "uid 0" : "not root") + (capSysAdmin ? ", CAP_SYS_ADMIN" : ""),
                "run as root (sudo) for frame numbers and /dev/kvm");
        put("thp", host.thpUsable(), "mode " + host.thpMode(),
                "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled");
        put("hugetlb", host.hugePagesFree() > 0, host.hugePagesFree() + " free huge pages of " + host.hugePageBytes() / 1024 + " KiB",
                "reserve huge pages: echo 16 > /proc/sys/vm/nr_hugepages");
        put("swap", host.hasSwap(), host.hasSwap() ? (host.swapBytes() >> 20) + " MiB" : "none",
                "MADV_PAGEOUT of anonymous memory has no effect without swap: swapon a swap file");
        if (b != null) {
            probeFrames(b);
            probeUffd(b);
            probeIoUring(b);
            probeKvm(b);
        }
        probeKvmEvidence();
        probeMemoryCgroup();
        judgeScenarios();
    }

    private static boolean capSysAdmin() {
        return ProcFiles.read("/proc/self/status").flatMap(s -> s.lines().filter(l -> l.startsWith("CapEff:")).findFirst())
                .map(l -> (Long.parseUnsignedLong(l.substring(7).trim(), 16) & (1L << 21)) != 0).orElse(false);
    }

    private void probeFrames(NativeBridge b) {
        try (GuestMemory m = GuestMemory.map(b, Backing.ANON, 1); Pagemap pm = new Pagemap()) {
            m.writeLong(0, 0, 1);
            PageInfo p = pm.page(m.base());
            put("pagemap-frames", p.frame().isPresent(), p.frame().isPresent() ? "frame numbers visible" : "frames read as 0",
                    "run as root (CAP_SYS_ADMIN) to see frame numbers in /proc/self/pagemap");
        } catch (RuntimeException e) {
            put("pagemap-frames", false, e.getMessage(), "mount /proc and run as root");
        }
    }

    /** userfaultfd(2) flag: only faults from user space, which needs no privilege (Linux 5.11). */
    static final int UFFD_USER_MODE_ONLY = 1;

    private void probeUffd(NativeBridge b) {
        int fd = -1;
        String mode = "";
        try (Arena a = Arena.ofConfined()) {
            try {
                fd = (int) b.syscall(Linux.SYS_USERFAULTFD, Linux.O_CLOEXEC | Linux.O_NONBLOCK, 0, 0, 0, 0, 0);
            } catch (NativeCallException e) {
                if (!"EPERM".equals(e.errnoName())) throw e;
                // unprivileged: vm.unprivileged_userfaultfd=0 still allows user-mode-only, all gpcrace's faults are
                fd = (int) b.syscall(Linux.SYS_USERFAULTFD, Linux.O_CLOEXEC | Linux.O_NONBLOCK | UFFD_USER_MODE_ONLY, 0, 0, 0, 0, 0);
                mode = " (user-mode only: unprivileged)";
            }
            MemorySegment api = a.allocate(Layouts.UFFDIO_API);
            api.set(ValueLayout.JAVA_LONG, 0, UFFD_API);
            b.ioctl(fd, UFFDIO_API, api.address());
            long features = api.get(ValueLayout.JAVA_LONG, 8);
            boolean remove = (features & UFFD_FEATURE_EVENT_REMOVE) != 0;
            put("userfaultfd", true, "features 0x" + Long.toHexString(features) + mode, "");
            put("uffd-event-remove", remove, remove ? "UFFD_FEATURE_EVENT_REMOVE" : "not offered",
                    "use a kernel >= 4.11 with CONFIG_USERFAULTFD");
        } catch (RuntimeException e) {
            put("userfaultfd", false, e.getMessage(),
                    "run as root or: sysctl vm.unprivileged_userfaultfd=1 (kernel needs CONFIG_USERFAULTFD)");
            put("uffd-event-remove", false, "userfaultfd unavailable", "enable userfaultfd first");
        } finally {
            if (fd >= 0) b.close(fd);
        }
    }

    private void probeIoUring(NativeBridge b) {
        int fd = -1;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment params = a.allocate(Layouts.IO_URING_PARAMS);
            fd = (int) b.syscall(Linux.SYS_IO_URING_SETUP, 4, params.address(), 0, 0, 0, 0);
            put("io_uring", true, "features 0x" + Integer.toHexString(params.get(ValueLayout.JAVA_INT, 20)), "");
        } catch (RuntimeException e) {
            put("io_uring", false, e.getMessage(), "sysctl kernel.io_uring_disabled=0 (kernel needs CONFIG_IO_URING)");
        } finally {
            if (fd >= 0) b.close(fd);
        }
    }

    private void probeKvm(NativeBridge b) {
        int fd = -1;
        try {
            fd = b.open("/dev/kvm", Linux.O_RDWR | Linux.O_CLOEXEC);
            long api = b.ioctl(fd, KVM_GET_API_VERSION, 0);
            long sync = b.ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_MMU);
            long clockCtrl = b.ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_KVMCLOCK_CTRL);
            put("kvm", api == 12, "/dev/kvm API version " + api, "a KVM with API version 12");
            put("kvm-sync-mmu", sync > 0, "KVM_CAP_SYNC_MMU=" + sync, "a KVM with MMU notifiers (KVM_CAP_SYNC_MMU)");
            put("kvm-kvmclock-ctrl", clockCtrl > 0, "KVM_CAP_KVMCLOCK_CTRL=" + clockCtrl, "a KVM with KVM_CAP_KVMCLOCK_CTRL (x86)");
        } catch (RuntimeException e) {
            put("kvm", false, e.getMessage(), KvmAccess.fix(e instanceof NativeCallException n ? n.errnoName() : null));
            put("kvm-sync-mmu", false, "no /dev/kvm", "enable /dev/kvm first");
            put("kvm-kvmclock-ctrl", false, "no /dev/kvm", "enable /dev/kvm first");
        } finally {
            if (fd >= 0) b.close(fd);
        }
    }

    /** What kvm-pvclock's evidence and sources need beyond /dev/kvm: tracefs (kernel-side evidence) and KSM. */
    private void probeKvmEvidence() {
        boolean admin = has("root");
        boolean mounted = java.nio.file.Files.isDirectory(java.nio.file.Path.of("/sys/kernel/tracing/instances"))
                || java.nio.file.Files.isDirectory(java.nio.file.Path.of("/sys/kernel/debug/tracing/instances"));
        boolean known = ProcFiles.read("/proc/filesystems").map(f -> f.lines().anyMatch(l -> l.endsWith("\ttracefs"))).orElse(false);
        put("tracefs", admin && (mounted || known), !known && !mounted ? "no tracefs in this kernel"
                : (mounted ? "mounted" : "not mounted (kvm-pvclock mounts it privately for the run)") + (admin ? "" : ", not root"),
                "run as root, on a kernel with CONFIG_FTRACE (tracefs)");
        boolean ksm = java.nio.file.Files.isWritable(java.nio.file.Path.of("/sys/kernel/mm/ksm/run"));
        put("ksm", ksm, ksm ? "/sys/kernel/mm/ksm/run " + ProcFiles.read("/sys/kernel/mm/ksm/run").orElse("?")
                : "no writable /sys/kernel/mm/ksm/run", "run as root, on a kernel with CONFIG_KSM");
    }

    /** gpc-pressure: a memory cgroup a run's child can be put in (located, not made). */
    private void probeMemoryCgroup() {
        try {
            MemoryCgroup.Parent p = MemoryCgroup.locate();
            put("memory-cgroup", true, "cgroup " + p.version() + " under " + p.dir(), "");
        } catch (org.gpcrace.bridge.CapabilityMissingException e) {
            String m = e.getMessage();
            int cut = m.lastIndexOf("; ");
            put("memory-cgroup", false, cut > 0 ? m.substring(0, cut) : m, cut > 0 ? m.substring(cut + 2) : "run as root with a memory cgroup controller");
        }
    }

    private void judgeScenarios() {
        boolean bridge = has("bridge-ffm") || has("bridge-jna");
        scenario("gpc", bridge, has("cpus") ? "readers and invalidator on distinct CPUs"
                : "runs, but all actors share one CPU", "make");
        scenario("gpc --notifier uffd", bridge && has("uffd-event-remove"), "userfaultfd UFFD_EVENT_REMOVE notifier",
                fixOf("uffd-event-remove"));
        scenario("kvm-pvclock", has("kvm") && has("kvm-sync-mmu"), "a live KVM GPC (kvmclock pv_time)",
                !has("kvm") ? fixOf("kvm") : fixOf("kvm-sync-mmu"));
        scenario("pin (vmsplice)", bridge, "page references held by a pipe", "make");
        scenario("pin (io_uring)", has("io_uring"), "FOLL_LONGTERM pins of registered buffers", fixOf("io_uring"));
        scenario("gpc-pressure", bridge && has("memory-cgroup"), "the OOM reaper and readers waiting for memory, in a memory cgroup",
                has("memory-cgroup") ? "make" : fixOf("memory-cgroup"));
        scenario("memslot-fairness", bridge, "KVM's unfair memslot-update wait, modelled", "make");
        scenario("latency", bridge, has("cpus") ? "all probes" : "shootdown probes need >= 2 CPUs", "make");
        scenario("model / compare", true, "pure Java", "");
    }

    private String fixOf(String cap) { Capability c = caps.get(cap); return c == null ? "" : c.fix(); }

    private void scenario(String name, boolean ok, String note, String fix) {
        scenarios.add(new ScenarioStatus(name, ok, note, ok ? "" : fix));
    }

    /** The report doctor --json prints. */
    public Map<String, Object> report() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", host.asMap());
        m.put("capabilities", new ArrayList<>(caps.values()));
        m.put("scenarios", scenarios);
        return m;
    }

    public void print(PrintWriter out) {
        out.printf("host: %s, kernel %s, %d CPUs, THP %s, swap %s%n", host.cpuModel(), host.kernel(), host.onlineCpus(),
                host.thpMode(), host.hasSwap() ? (host.swapBytes() >> 20) + " MiB" : "none");
        out.printf("%-20s %-4s %s%n", "CAPABILITY", "OK", "DETAIL / FIX");
        for (Capability c : caps.values()) {
            out.printf("%-20s %-4s %s%s%n", c.name(), c.available() ? "yes" : "NO", c.detail(),
                    c.available() ? "" : "  -> fix: " + c.fix());
        }
        out.println();
        out.printf("%-22s %-8s %s%n", "SCENARIO", "RUNS", "NOTE / FIX");
        for (ScenarioStatus s : scenarios) {
            out.printf("%-22s %-8s %s%s%n", s.scenario(), s.runnable() ? "yes" : "SKIP", s.note(),
                    s.runnable() ? "" : "  -> fix: " + s.fix());
        }
    }
}
