package org.gpcrace.sys;

import java.util.OptionalLong;

/**
 * One /proc/self/pagemap entry. The frame number is present only when the kernel shows it
 * (CAP_SYS_ADMIN); otherwise it is unknown, never 0 passed off as a frame.
 */
public record PageInfo(long address, boolean present, boolean swapped, boolean exclusive, boolean softDirty,
        boolean fileOrShared, OptionalLong frame) {

    static final long PFN_MASK = (1L << 55) - 1;

    public static PageInfo decode(long address, long entry) {
        boolean present = (entry & (1L << 63)) != 0;
        boolean swapped = (entry & (1L << 62)) != 0;
        long pfn = entry & PFN_MASK;
        OptionalLong frame = present && pfn != 0 ? OptionalLong.of(pfn) : OptionalLong.empty();
        return new PageInfo(address, present, swapped, (entry & (1L << 56)) != 0, (entry & (1L << 55)) != 0,
                (entry & (1L << 61)) != 0, frame);
    }

    /** "0x1a2b3" or "unknown" (not present, or frame numbers hidden without CAP_SYS_ADMIN). */
    public String frameText() {
        return frame.isPresent() ? "0x" + Long.toHexString(frame.getAsLong()) : present ? "unknown" : "not present";
    }
}
