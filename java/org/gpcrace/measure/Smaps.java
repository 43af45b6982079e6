package org.gpcrace.measure;

import java.util.OptionalLong;
import org.gpcrace.sys.ProcFiles;

/** /proc/PID/smaps of the measured process: how much of the mapping holding an address is backed by anonymous huge pages. */
final class Smaps {
    private Smaps() {}

    /** AnonHugePages (kB) of the VMA containing addr, or empty when smaps cannot be read. */
    static OptionalLong anonHugeKb(String procDir, long addr) {
        String text = ProcFiles.read(procDir + "/smaps").orElse(null);
        if (text == null) return OptionalLong.empty();
        boolean inside = false;
        for (String line : text.split("\n")) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).matches("[0-9a-f]+")) {
                long lo = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long hi = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                inside = Long.compareUnsigned(addr, lo) >= 0 && Long.compareUnsigned(addr, hi) < 0;
            } else if (inside && line.startsWith("AnonHugePages:")) {
                return OptionalLong.of(Long.parseLong(line.substring(14).trim().split("\\s+")[0]));
            }
        }
        return OptionalLong.empty();
    }
}
