package org.gpcrace.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The TLB-shootdown IPIs each CPU has handled since boot: the "TLB" line of /proc/interrupts
 * (x86: "TLB shootdowns"). The whole machine's count, so a delta over a measured point is an
 * upper bound of the IPIs the measured operations sent (anything else running adds to it).
 */
final class TlbShootdowns {
    private static final Path INTERRUPTS = Path.of("/proc/interrupts");

    private TlbShootdowns() {}

    /** Per CPU number (the header names the CPU of each column; offline CPUs have none), or an empty array without a TLB line. */
    static long[] read() {
        String text;
        try {
            text = Files.readString(INTERRUPTS);
        } catch (IOException | SecurityException e) {
            return new long[0];
        }
        return parse(text);
    }

    static long[] parse(String text) {
        String[] lines = text.split("\n");
        if (lines.length == 0) return new long[0];
        String[] head = lines[0].trim().split("\\s+");
        int[] cpu = new int[head.length];
        int max = -1;
        for (int i = 0; i < head.length; i++) {
            cpu[i] = Integer.parseInt(head[i].replace("CPU", ""));
            max = Math.max(max, cpu[i]);
        }
        for (String line : lines) {
            String t = line.trim();
            if (!t.startsWith("TLB:")) continue;
            String[] f = t.substring(4).trim().split("\\s+");
            long[] v = new long[max + 1];
            for (int i = 0; i < Math.min(cpu.length, f.length); i++) v[cpu[i]] = Long.parseLong(f[i]);
            return v;
        }
        return new long[0];
    }
}
