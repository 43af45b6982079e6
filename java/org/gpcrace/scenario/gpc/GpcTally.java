package org.gpcrace.scenario.gpc;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.gpcrace.protocol.GpcOutcome;
import org.gpcrace.result.Figure;
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
    private long framesKnown, framesChanged, resetRounds, zappedRounds, refreshes, refreshRetries, readersInsideRounds, uffdEvents;
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
        if (r.zapped()) zappedRounds++;
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
    public long zappedRounds() { return zappedRounds; }
    public long staleAccesses() { return staleAccesses; }
    public RaceWindow window() { return window; }
    public Histogram invalidationNs() { return invalidationNs; }
    public Histogram readerLoopNs() { return readerLoopNs; }

    public Map<String, Long> zapErrors() { return zapErrors; }

    /** The numbers behind the table, as figures of results.json (names as the JSON and CSV readers know them). */
    public List<Figure> figures() {
        List<Figure> f = new ArrayList<>();
        f.add(new Figure("invalidatedRounds", invalidated, "rounds"));
        f.add(new Figure("staleAccesses", staleAccesses, "accesses"));
        f.add(new Figure("staleVisibleAccesses", visibleAccesses, "accesses"));
        f.add(new Figure("staleLostAccesses", lostAccesses, "accesses"));
        f.add(new Figure("framesKnownRounds", framesKnown, "rounds"));
        f.add(new Figure("frameChangedRounds", framesChanged, "rounds"));
        f.add(new Figure("zappedRounds", zappedRounds, "rounds"));
        f.add(new Figure("counterResetRounds", resetRounds, "rounds"));
        f.add(new Figure("uffdEvents", uffdEvents, "events"));
        f.add(new Figure("refreshes", refreshes, "refreshes"));
        f.add(new Figure("refreshRetries", refreshRetries, "retries"));
        f.add(new Figure("readersInsideRounds", readersInsideRounds, "rounds"));
        if (hungAtRound > 0) f.add(new Figure("hungAtRound", hungAtRound, "round"));
        return f;
    }
}
