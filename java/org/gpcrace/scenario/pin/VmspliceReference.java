package org.gpcrace.scenario.pin;

import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.Linux;

/** vmsplice into a pipe: the pipe buffer holds page references to the spliced frames. */
final class VmspliceReference implements PinReference {
    private final NativeBridge bridge;
    private int[] pipe;

    VmspliceReference(NativeBridge bridge) { this.bridge = bridge; }

    @Override public String id() { return "vmsplice"; }

    @Override public void take(long page) {
        pipe = bridge.kernel().pipe();
        long n = bridge.kernel().vmsplice(pipe[1], page, Linux.PAGE_SIZE);
        if (n != Linux.PAGE_SIZE) throw new IllegalStateException("vmsplice spliced " + n + " of " + Linux.PAGE_SIZE + " bytes");
    }

    @Override public void readAndRelease(long page, long buf) {
        long got = 0;
        while (got < Linux.PAGE_SIZE) {
            long n = bridge.read(pipe[0], buf + got, Linux.PAGE_SIZE - got);
            if (n == 0) throw new IllegalStateException("pipe closed after " + got + " bytes");
            got += n;
        }
        close();
    }

    @Override public void close() {
        if (pipe == null) return;
        int[] p = pipe;
        pipe = null;
        try {
            bridge.close(p[0]);
        } finally {
            bridge.close(p[1]);
        }
    }
}
