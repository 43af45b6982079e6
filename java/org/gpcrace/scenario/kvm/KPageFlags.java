package org.gpcrace.scenario.kvm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** /proc/kpageflags (root): the flags of one frame; false when unreadable. */
final class KPageFlags {
    private KPageFlags() {}

    static final int KPF_THP = 22;

    static boolean thp(long pfn) { return (flags(pfn) >>> KPF_THP & 1) != 0; }

    static long flags(long pfn) {
        try (FileChannel ch = FileChannel.open(Path.of("/proc/kpageflags"), StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
            while (b.hasRemaining()) if (ch.read(b, pfn * 8 + b.position()) < 0) return 0;
            return b.getLong(0);
        } catch (IOException | SecurityException e) {
            return 0;
        }
    }
}
