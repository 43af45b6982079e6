package org.gpcrace.scenario.gpc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** One row per bucket: delayNs (its start), rounds, staleRounds, forbiddenRounds (a series for the HTML report). */
    public List<Map<String, Object>> rows() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int b = 0; b < rounds.length; b++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("delayNs", min + b * width);
            row.put("rounds", rounds[b]);
            row.put("staleRounds", stale[b]);
            row.put("forbiddenRounds", forbidden[b]);
            out.add(row);
        }
        return out;
    }
}
