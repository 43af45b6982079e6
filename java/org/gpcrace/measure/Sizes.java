package org.gpcrace.measure;

import java.util.ArrayList;
import java.util.List;

/** Range sizes: parsing "4K", "2M", "1G", "8192" and printing them back the short way. */
public final class Sizes {
    private Sizes() {}

    public static final long PAGE = 4096;
    public static final long MAX = 1L << 30;

    /** 1 page to 2 MiB, doubling: the default sweep. */
    public static List<Long> defaults() {
        List<Long> l = new ArrayList<>();
        for (long s = PAGE; s <= 2L << 20; s *= 2) l.add(s);
        return l;
    }

    /** Parses one size; bad input throws IllegalArgumentException naming it. */
    public static long parse(String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        if (t.endsWith("B") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) t = t.substring(0, t.length() - 1);
        long mult = 1;
        if (t.endsWith("K")) mult = 1L << 10;
        else if (t.endsWith("M")) mult = 1L << 20;
        else if (t.endsWith("G")) mult = 1L << 30;
        String digits = mult == 1 ? t : t.substring(0, t.length() - 1);
        long v;
        try {
            v = Math.multiplyExact(Long.parseLong(digits), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("--sizes: '" + text + "' is not a size (examples: 4K, 64K, 2M, 1G, 8192)");
        }
        if (v < PAGE || v % PAGE != 0) throw new IllegalArgumentException("--sizes: " + text + " is not a whole number of 4 KiB pages");
        if (v > MAX) throw new IllegalArgumentException("--sizes: " + text + " is above the 1 GiB the probe sweeps to");
        return v;
    }

    public static String label(long bytes) {
        if (bytes % (1L << 30) == 0) return (bytes >> 30) + "G";
        if (bytes % (1L << 20) == 0) return (bytes >> 20) + "M";
        if (bytes % (1L << 10) == 0) return (bytes >> 10) + "K";
        return bytes + "B";
    }
}
