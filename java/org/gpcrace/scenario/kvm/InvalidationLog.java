package org.gpcrace.scenario.kvm;

/**
 * The invalidator's [start, end] intervals on the shared time base (System.nanoTime, which is
 * CLOCK_MONOTONIC on Linux), for the vCPU actor to judge each run against. One writer (the
 * invalidator), one {@link Reader} per vCPU actor. The writer's intervals are sequential, so their
 * starts and ends both increase. The kernel's invalidation of the page lies inside [start, end]:
 * start is read before the call, and {@link #begin} publishes it before the call is made.
 *
 * <p>A ring of recent intervals: a reader that falls more than {@code capacity} intervals behind
 * loses the ones it needed; that run is then judged "overlapped" (the safe side) and counted in
 * {@link #overruns()}, so the loss is visible, never silent.
 */
final class InvalidationLog {
    private static final long NONE = Long.MIN_VALUE;

    private final long[] starts;
    private final long[] ends;
    private final int mask;
    private final boolean recording;
    private volatile long published;             // completed intervals, written by the invalidator only
    private volatile long inProgressStart = NONE; // start of the invalidation under way, or NONE
    private volatile long lastDurationNs;          // of the last completed interval

    /** What a run's window saw. */
    enum Verdict {
        /** no interval since before the previous KVM_RUN began: the GPC stayed valid (fast path) */
        QUIET,
        /** an interval ended after the previous KVM_RUN began but started before it returned:
         *  whether this run refreshed cannot be told (counted as a plain update, kept out of both histograms) */
        UNCERTAIN,
        /** an interval lay wholly between the previous KVM_RUN's return and the zero: KVM had to refresh */
        REFRESHED,
        /** an interval intersects [zero, read] */
        OVERLAPPED
    }

    /**
     * @param recording false for the negative control: invalidations happen but are never logged,
     *     so the judge cannot excuse a missing update (the harness's lock_busted)
     */
    InvalidationLog(int capacityPow2, boolean recording) {
        if (Integer.bitCount(capacityPow2) != 1) throw new IllegalArgumentException("capacity must be a power of two");
        this.starts = new long[capacityPow2];
        this.ends = new long[capacityPow2];
        this.mask = capacityPow2 - 1;
        this.recording = recording;
    }

    boolean recording() { return recording; }

    // ---- writer (the invalidator)

    void begin(long start) {
        if (recording) inProgressStart = start;
    }

    void end(long start, long end) {
        if (!recording) return;
        long n = published;
        int i = (int) (n & mask);
        starts[i] = start;
        ends[i] = end;
        published = n + 1;            // volatile: the slot is visible before the count
        lastDurationNs = end - start;
        inProgressStart = NONE;
    }

    long completed() { return published; }

    /** How long the last completed invalidation took (0 before the first). */
    long lastDurationNs() { return lastDurationNs; }

    /** The last completed interval that started at or before {@code t}, {start, end}, or null: evidence for a run judged lost. */
    long[] lastIntervalBefore(long t) {
        long n = published;
        for (long k = n - 1; k >= Math.max(0, n - starts.length); k--) {
            int i = (int) (k & mask);
            if (starts[i] <= t) return new long[] {starts[i], ends[i]};
        }
        return null;
    }

    /**
     * The count {@link #completed()} reaches once an invalidation that starts after this call has
     * completed (one under way now does not count: it started before).
     */
    long nextFreshCompletion() { return published + (inProgressStart != NONE ? 1 : 0) + 1; }

    // ---- readers (one per vCPU actor)

    /** A vCPU actor's view of the log: its own cursor and overrun count. */
    Reader reader() { return new Reader(); }

    final class Reader {
        private long cursor;   // first interval that can still matter to this reader
        private long overruns;

        /**
         * Judges a run whose pvclock was zeroed at {@code zero} and read at {@code read}; the previous
         * KVM_RUN ran over [previousRunStart, previousRunEnd], this one started at {@code runStart}.
         * Intervals are measured around the system call, so they contain the kernel's invalidation:
         * OVERLAPPED errs on the side of an acceptable outcome, REFRESHED only when the whole interval
         * came after KVM's previous write (which happened inside the previous KVM_RUN).
         */
        Verdict judge(long zero, long read, long previousRunStart, long previousRunEnd, long runStart) {
            long current = inProgressStart;   // read before `published`: see end()
            long p = published;
            boolean overlapped = current != NONE && current <= read;
            boolean refreshed = false, uncertain = false;
            long first = Math.max(cursor, p - starts.length);
            boolean lost = first > cursor;
            for (long k = first; k < p; k++) {
                int i = (int) (k & mask);
                long s = starts[i], e = ends[i];
                if (s <= read && e >= zero) overlapped = true;
                else if (e < zero && s > previousRunEnd) refreshed = true;
                else if (e < zero && e > previousRunStart) uncertain = true;
            }
            // intervals that ended before this run started cannot matter to the next run
            long next = first;
            while (next < p && ends[(int) (next & mask)] < runStart) next++;
            if (published - starts.length > first) lost = true; // the writer lapped us during the scan
            cursor = next;
            if (lost) {
                overruns++;
                return Verdict.OVERLAPPED;
            }
            if (overlapped) return Verdict.OVERLAPPED;
            if (refreshed) return Verdict.REFRESHED;
            return uncertain ? Verdict.UNCERTAIN : Verdict.QUIET;
        }

        /** Runs judged without the intervals they needed (the reader fell a ring behind). */
        long overruns() { return overruns; }
    }
}
