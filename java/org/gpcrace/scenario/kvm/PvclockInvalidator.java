package org.gpcrace.scenario.kvm;

import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.protocol.Source;

/**
 * The invalidator actor: after a random busy-wait of 0..delayMaxNs (so invalidations land at
 * every point of the vCPU's loop), one invalidation of the pvclock page, its [start, end]
 * recorded in the log. Busy-waits rather than sleeps: a sleep's wake-up latency would dwarf the
 * vCPU loop's period.
 */
final class PvclockInvalidator extends Actor {
    private final NativeBridge bridge;
    private final Source source;
    private final long page;
    private final long delayMaxNs;
    private final InvalidationLog log;
    private final SplittableRandom random;
    final Histogram duration = Histograms.ns();
    private volatile long invalidations;

    PvclockInvalidator(NativeBridge bridge, int cpu, Source source, long page, long delayMaxNs, InvalidationLog log, long seed) {
        super("invalidator", bridge, cpu);
        this.bridge = bridge;
        this.source = source;
        this.page = page;
        this.delayMaxNs = delayMaxNs;
        this.log = log;
        this.random = new SplittableRandom(seed);
    }

    long invalidations() { return invalidations; }

    /** Ready once its first invalidation is done. */
    @Override boolean ready() { return invalidations > 0 || !isAlive() && super.ready(); }

    @Override protected void body() {
        while (!stopping()) {
            if (delayMaxNs > 0) {
                long until = System.nanoTime() + random.nextLong(delayMaxNs + 1);
                while (System.nanoTime() < until) Thread.onSpinWait();
            }
            long s = System.nanoTime();
            log.begin(s);
            PvclockSources.invalidate(source, bridge, page);
            long e = System.nanoTime();
            log.end(s, e);
            Histograms.record(duration, e - s);
            invalidations = invalidations + 1;
        }
    }
}
