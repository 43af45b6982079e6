package org.gpcrace.scenario.gpc;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.gpcrace.oracle.GpcOutcome;
import org.gpcrace.result.Grade;
import org.gpcrace.result.TestResult;

/**
 * Everything one test accumulates from its judged rounds: the outcome histogram, the first
 * FORBIDDEN outcome, the race-window map, the stale/visible/lost split, frames, refreshes,
 * would-sleep and EAGAIN counts, and the invalidation and reader-loop latencies (ns, HdrHistogram
 * with 3 significant digits, up to one minute).
 */
public final class GpcTally {
    private final EnumMap<GpcOutcome, Long> counts = new EnumMap<>(GpcOutcome.class);
    private final RaceWindow window;
    private final Histogram invalidationNs = new Histogram(60_000_000_000L, 3);
    private final Histogram readerLoopNs = new Histogram(60_000_000_000L, 3);
    private final Map<String, Long> zapErrors = new TreeMap<>();
    private long rounds, invalidated, staleAccesses, visibleAccesses, lostAccesses, forbiddenRounds;
    private long framesKnown, framesChanged, resetRounds, refreshes, refreshRetries, readersInsideRounds, uffdEvents;
    private long lastElapsedNs;
    private TestResult.FirstForbidden firstForbidden;
    private long hungAtRound;

    public GpcTally(long delayMinNs, long delayMaxNs) {
        for (GpcOutcome o : GpcOutcome.values()) counts.put(o, 0L);
        window = new RaceWindow(delayMinNs, delayMaxNs);
    }

    /** One judged round. */
    void add(RoundRecord r, EnumSet<GpcOutcome> outcomes, long stale, long visible, long lost, String zapError) {
        rounds++;
        lastElapsedNs = r.elapsedNs();
        boolean forbidden = false, staleRound = false;
        for (GpcOutcome o : outcomes) {
            counts.merge(o, 1L, Long::sum);
            forbidden |= o.grade() == Grade.FORBIDDEN;
            staleRound |= o.stale();
        }
        if (forbidden) {
            forbiddenRounds++;
            if (firstForbidden == null) {
                GpcOutcome first = outcomes.stream().filter(o -> o.grade() == Grade.FORBIDDEN).findFirst().orElseThrow();
                firstForbidden = new TestResult.FirstForbidden(first.id(), r.round(), r.elapsedNs() / 1e6);
            }
        }
        window.add(r.delayNs(), staleRound, forbidden);
        if (r.invalidated()) {
            invalidated++;
            if (r.invNs() > 0) invalidationNs.recordValue(Math.min(r.invNs(), invalidationNs.getHighestTrackableValue()));
        }
        staleAccesses += stale;
        visibleAccesses += visible;
        lostAccesses += lost;
        if (r.pfnBefore() != 0 && r.pfnAfter() != 0) {
            framesKnown++;
            if (r.pfnBefore() != r.pfnAfter()) framesChanged++;
        }
        if (r.reset()) resetRounds++;
        if (r.uffdEvent()) uffdEvents++;
        refreshes += r.refreshes();
        refreshRetries += r.refreshRetries();
        if (r.readersInside() > 0) readersInsideRounds++;
        if (zapError != null) zapErrors.merge(zapError, 1L, Long::sum);
    }

    void addLoop(long loopNs) {
        if (loopNs > 0) readerLoopNs.recordValue(Math.min(loopNs, readerLoopNs.getHighestTrackableValue()));
    }

    /** The watchdog ended the run in this round. */
    void hang(long round, double elapsedMs) {
        counts.merge(GpcOutcome.HANG, 1L, Long::sum);
        hungAtRound = round;
        if (firstForbidden == null) firstForbidden = new TestResult.FirstForbidden(GpcOutcome.HANG.id(), round, elapsedMs);
    }

    public long count(GpcOutcome o) { return counts.get(o); }
    public Map<GpcOutcome, Long> counts() { return counts; }
    public long rounds() { return rounds; }
    public long invalidated() { return invalidated; }
    public long forbiddenRounds() { return forbiddenRounds; }
    public TestResult.FirstForbidden firstForbidden() { return firstForbidden; }
    public long lastElapsedNs() { return lastElapsedNs; }
    public long hungAtRound() { return hungAtRound; }
    public long framesKnown() { return framesKnown; }
    public long framesChanged() { return framesChanged; }
    public long readersInsideRounds() { return readersInsideRounds; }
    public RaceWindow window() { return window; }
    public Histogram invalidationNs() { return invalidationNs; }
    public Histogram readerLoopNs() { return readerLoopNs; }

    /** The numbers behind the table, for results.json's extra block. */
    public Map<String, Object> figures() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("invalidatedRounds", invalidated);
        m.put("forbiddenRounds", forbiddenRounds);
        m.put("staleAccesses", staleAccesses);
        m.put("staleVisibleAccesses", visibleAccesses);
        m.put("staleLostAccesses", lostAccesses);
        m.put("framesKnownRounds", framesKnown);
        m.put("frameChangedRounds", framesChanged);
        m.put("counterResetRounds", resetRounds);
        m.put("uffdEvents", uffdEvents);
        m.put("refreshes", refreshes);
        m.put("refreshRetries", refreshRetries);
        m.put("readersInsideRounds", readersInsideRounds);
        m.put("zapErrors", zapErrors);
        if (hungAtRound > 0) m.put("hungAtRound", hungAtRound);
        return m;
    }
}
