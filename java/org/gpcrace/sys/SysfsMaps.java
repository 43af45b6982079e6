package org.gpcrace.sys;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** sysfs directories of one-value files read as maps: KVM module parameters, CPU vulnerability states. */
public final class SysfsMaps {
    private SysfsMaps() {}

    /** Every readable regular file of {@code dir}: name -> its trimmed content (empty map when absent). */
    public static Map<String, String> files(Path dir) {
        Map<String, String> out = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                if (!Files.isRegularFile(f)) continue;
                ProcFiles.read(f.toString()).ifPresent(v -> out.put(f.getFileName().toString(), v));
            }
        } catch (IOException | SecurityException e) {
            return out;
        }
        return out;
    }

    /** /sys/module/kvm*&#47;parameters: module -> parameter -> value, for every loaded kvm module. */
    public static Map<String, Map<String, String>> kvmModules() {
        Map<String, Map<String, String>> out = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/sys/module"), "kvm*")) {
            for (Path m : ds) {
                Map<String, String> ps = files(m.resolve("parameters"));
                if (!ps.isEmpty()) out.put(m.getFileName().toString(), ps);
            }
        } catch (IOException | SecurityException e) {
            return out;
        }
        return out;
    }

    /** /sys/devices/system/cpu/vulnerabilities: name -> "Not affected", "Mitigation: ...", "Vulnerable...". */
    public static Map<String, String> vulnerabilities() {
        return files(Path.of("/sys/devices/system/cpu/vulnerabilities"));
    }
}
