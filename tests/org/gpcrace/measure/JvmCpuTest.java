package org.gpcrace.measure;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** A JVM thread busy beside the caller is counted; the caller's own work is not (the twin). */
class JvmCpuTest {
    static final long BURN_NS = 300_000_000L;

    static void burn() {
        long end = System.nanoTime() + BURN_NS;
        long x = 0;
        while (System.nanoTime() < end) x += x * 31 + 7;
        if (x == 42) System.out.print(""); // keeps the loop
    }

    @Test
    void anotherThreadsCpuIsCountedAndTheCallersIsNot() throws Exception {
        long t0 = JvmCpu.othersNs();
        assumeTrue(t0 >= 0, JvmCpu.UNKNOWN);
        java.util.concurrent.CountDownLatch burnt = new java.util.concurrent.CountDownLatch(1), read = new java.util.concurrent.CountDownLatch(1);
        Thread busy = Thread.ofPlatform().start(() -> {
            burn();
            burnt.countDown();
            try {
                read.await(); // alive until read: a thread that ended takes its time with it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        burnt.await(); // the caller waits, as the driver of the actors does
        long t1 = JvmCpu.othersNs();
        read.countDown();
        busy.join();
        assertTrue(t1 - t0 >= BURN_NS / 2, "a busy JVM thread beside the caller: " + (t1 - t0) / 1e6 + " ms counted");
        long t2 = JvmCpu.othersNs();
        burn(); // the caller busy itself
        long t3 = JvmCpu.othersNs();
        assertTrue(t3 - t2 < BURN_NS / 2, "the caller's own work is not counted: " + (t3 - t2) / 1e6 + " ms");
    }
}
