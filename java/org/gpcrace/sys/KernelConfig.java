package org.gpcrace.sys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The kernel's build configuration, reduced to the options that change what gpcrace measures:
 * preemption model (PREEMPT_RT makes spinlocks sleep), tick, THP/KSM/userfaultfd/io_uring (which
 * scenarios can run), KVM and MMU notifiers (the paths mirrored), and the debug options that slow
 * every lock and page-table path (lockdep, KASAN, DEBUG_VM). Read from /proc/config.gz
 * (CONFIG_IKCONFIG_PROC) or /boot/config-RELEASE, whichever exists first.
 */
public record KernelConfig(String source, Map<String, String> options) {

    static final List<String> OPTIONS = List.of("PREEMPT_RT", "PREEMPT", "PREEMPT_VOLUNTARY", "PREEMPT_NONE", "PREEMPT_DYNAMIC",
            "HZ", "NO_HZ_FULL", "TRANSPARENT_HUGEPAGE", "KSM", "USERFAULTFD", "IO_URING", "MMU_NOTIFIER", "KVM", "KVM_INTEL",
            "KVM_AMD", "NUMA_BALANCING", "CPU_MITIGATIONS", "PROVE_LOCKING", "DEBUG_ATOMIC_SLEEP", "KASAN", "DEBUG_VM");

    public static KernelConfig read(String release) {
        Path proc = Path.of("/proc/config.gz"), boot = Path.of("/boot/config-" + release);
        try {
            if (Files.isReadable(proc)) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(proc))) {
                    return new KernelConfig(proc.toString(), parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
            if (Files.isReadable(boot)) return new KernelConfig(boot.toString(), parse(Files.readString(boot)));
        } catch (IOException | RuntimeException e) {
            return new KernelConfig("unreadable: " + e.getMessage(), Map.of());
        }
        return new KernelConfig("unavailable (no /proc/config.gz, no " + boot + ")", Map.of());
    }

    /** "CONFIG_X=y" -> X=y, "# CONFIG_X is not set" -> X=n, for the options that matter. */
    static Map<String, String> parse(String text) {
        Map<String, String> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            String name, value;
            if (line.startsWith("CONFIG_") && line.indexOf('=') > 0) {
                name = line.substring(7, line.indexOf('='));
                value = line.substring(line.indexOf('=') + 1).replace("\"", "");
            } else if (line.startsWith("# CONFIG_") && line.endsWith(" is not set")) {
                name = line.substring(9, line.length() - " is not set".length());
                value = "n";
            } else {
                continue;
            }
            if (OPTIONS.contains(name)) out.put(name, value);
        }
        return out;
    }
}
