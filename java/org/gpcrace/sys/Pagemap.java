package org.gpcrace.sys;

import org.gpcrace.bridge.Linux;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads /proc/self/pagemap: one 64-bit entry per virtual page of this process. */
public final class Pagemap implements AutoCloseable {
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());

    public Pagemap() {
        try {
            ch = FileChannel.open(Path.of("/proc/self/pagemap"), StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open /proc/self/pagemap: " + e.getMessage(), e);
        }
    }

    public synchronized PageInfo page(long address) {
        long vpn = address / Linux.PAGE_SIZE;
        buf.clear();
        try {
            while (buf.hasRemaining()) {
                if (ch.read(buf, vpn * 8 + buf.position()) < 0) throw new IOException("short read");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("pagemap read at 0x" + Long.toHexString(address) + ": " + e.getMessage(), e);
        }
        return PageInfo.decode(address, buf.getLong(0));
    }

    /** True when this process can see frame numbers (probes a page it maps itself). */
    public static boolean framesVisible(long presentAddress) {
        try (Pagemap pm = new Pagemap()) {
            return pm.page(presentAddress).frame().isPresent();
        }
    }

    @Override public void close() {
        try {
            ch.close();
        } catch (IOException ignored) {
            // read-only channel: nothing to lose
        }
    }
}
