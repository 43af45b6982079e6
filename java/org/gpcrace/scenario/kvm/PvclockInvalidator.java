package org.gpcrace.scenario.kvm;

import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.gpcrace.bridge.NativeBridge;

/**
 * The invalidator actor: after a random busy-wait of 0..delayMaxNs (so invalidations land at
 * every point of the vCPU's loop), one cycle of the source ({@link SourceOp#raceCycle}): each
 * kernel call that invalidates is logged as a [start, end] interval (and kept for the trace
 * oracle). Busy-waits rather than sleeps: a sleep's wake-up latency would dwarf the vCPU loop's period.
 */
final class PvclockInvalidator extends Actor implements SourceOp.Steps {
    private final SourceOp op;
    private final long delayMaxNs;
    private final InvalidationLog log;
    private final SplittableRandom random;
    /** The source's own step per cycle (not the preparing ones). */
    final Histogram duration = Histograms.ns();
    private volatile long invalidations;
    private volatile long cycles;
    /** Every logged call's [start, end] (up to RunRecords.MAX), for the trace oracle: a harness call's effect lasts until it returns. */
    final long[] starts = new long[RunRecords.MAX], ends = new long[RunRecords.MAX];
    /** The thread's id (gettid), to tell its notifier events from others'. */
    volatile int tid;

    PvclockInvalidator(NativeBridge bridge, int cpu, SourceOp op, long delayMaxNs, InvalidationLog log, long seed) {
        super("invalidator", bridge, cpu);
        this.op = op;
        this.delayMaxNs = delayMaxNs;
        this.log = log;
        this.random = new SplittableRandom(seed);
    }

    /** Logged invalidating kernel calls. */
    long invalidations() { return invalidations; }

    long cycles() { return cycles; }

    /** Ready once its first cycle is done. */
    @Override boolean ready() { return cycles > 0 || !isAlive() && super.ready(); }

    @Override protected void body() {
        tid = op.bridge.kernel().gettid();
        while (!stopping()) {
            if (delayMaxNs > 0) {
                long until = System.nanoTime() + random.nextLong(delayMaxNs + 1);
                while (System.nanoTime() < until) Thread.onSpinWait();
            }
            long d = op.raceCycle(this);
            if (d > 0) Histograms.record(duration, d);
            cycles = cycles + 1;
        }
    }

    @Override public long begin() {
        long s = System.nanoTime();
        log.begin(s);
        return s;
    }

    @Override public long end(long start) { return end(start, System.nanoTime()); }

    @Override public long end(long start, long e) {
        log.end(start, e);
        long n = invalidations;
        if (n < starts.length) {
            starts[(int) n] = start;
            ends[(int) n] = e;
        }
        invalidations = n + 1;
        return e - start;
    }
}
