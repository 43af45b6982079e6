package org.gpcrace.scenario.gpc;

import org.gpcrace.protocol.Source;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.NativeCallException;
import org.gpcrace.bridge.RaceNative;
import org.gpcrace.bridge.Linux;

/**
 * `--invalidator java`: the invalidator actor as a Java platform thread. The native runner does
 * the round's setup, barriers, notifier and snapshot (gpcrace_gpc_inv_*); the kernel operation
 * itself is a call through the chosen bridge (madvise, fallocate or mprotect), so the bridge's
 * own cost sits inside the race window.
 */
final class JavaInvalidator implements Runnable {
    private final NativeBridge bridge;
    private final RaceNative race;
    private final long run;
    private final Source source;
    private final int memfd;
    private final int cpu;
    private final long addr, len;
    private volatile Throwable failure;
    private Thread thread;

    JavaInvalidator(NativeBridge bridge, long run, Source source, int memfd, int cpu) {
        this.bridge = bridge;
        this.race = bridge.race();
        this.run = run;
        this.source = source;
        this.memfd = memfd;
        this.cpu = cpu;
        this.addr = race.invAddress(run);
        this.len = race.invLength(run);
    }

    JavaInvalidator start() {
        thread = Thread.ofPlatform().name("gpc-java-invalidator").daemon(true).start(this);
        return this;
    }

    /** Waits for the thread; returns what made it fail, or null. */
    Throwable join() throws InterruptedException {
        thread.join();
        return failure;
    }

    @Override public void run() {
        try {
            if (cpu >= 0) bridge.pinToCpu(cpu);
            for (;;) {
                if (race.invBegin(run) <= 0) break;
                int r = race.invNotifyStart(run);
                if (r < 0) break;
                int errno = r == 0 ? zap() : 0;
                if (race.invFinish(run, errno) < 0) break;
            }
        } catch (Throwable t) {
            failure = t;
            race.abort(run); // the readers wait for us at a barrier: release them
        }
    }

    /** The kernel operation through the bridge; its errno (0 when it succeeded). */
    private int zap() {
        try {
            switch (source) {
                case PUNCH_HOLE -> bridge.fallocate(memfd, Linux.FALLOC_FL_PUNCH_HOLE | Linux.FALLOC_FL_KEEP_SIZE, 0, len);
                case MPROTECT -> {
                    bridge.mprotect(addr, len, Linux.PROT_NONE);
                    bridge.mprotect(addr, len, Linux.PROT_RW);
                }
                default -> bridge.madvise(addr, len, source.advice());
            }
            return 0;
        } catch (NativeCallException e) {
            return e.errno();
        }
    }
}
