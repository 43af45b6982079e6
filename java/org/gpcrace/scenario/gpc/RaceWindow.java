package org.gpcrace.scenario.gpc;

import java.util.ArrayList;
import java.util.List;
import org.gpcrace.result.GpcExtra;

/**
 * The race-window map: rounds and violations by the invalidator's start delay, in equal
 * buckets over the delay range. Shows where in the readers' loop an invalidation has to land
 * for a protocol to let a stale access through.
 */
public final class RaceWindow {
    public static final int BUCKETS = 10;

    private final long min;
    private final long width;
    private final long[] rounds;
    private final long[] stale;
    private final long[] forbidden;

    public long bucketWidthNs() { return width; }

    public RaceWindow(long minNs, long maxNs) {
        this.min = minNs;
        long span = maxNs - minNs + 1;
        int n = (int) Math.min(BUCKETS, span);
        this.width = (span + n - 1) / n;
        this.rounds = new long[n];
        this.stale = new long[n];
        this.forbidden = new long[n];
    }

    public void add(long delayNs, boolean staleRound, boolean forbiddenRound) {
        int b = (int) Math.max(0, Math.min(rounds.length - 1, (delayNs - min) / width));
        rounds[b]++;
        if (staleRound) stale[b]++;
        if (forbiddenRound) forbidden[b]++;
    }

    /** One bucket per delay interval: its start and width, rounds, stale rounds, rounds with a FORBIDDEN outcome. */
    public List<GpcExtra.WindowBucket> buckets() {
        List<GpcExtra.WindowBucket> out = new ArrayList<>();
        for (int b = 0; b < rounds.length; b++) out.add(new GpcExtra.WindowBucket(min + b * width, width, rounds[b], stale[b], forbidden[b]));
        return out;
    }
}
