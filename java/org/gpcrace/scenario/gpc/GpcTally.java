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
 * FORBIDDEN outcome, the race-window map, the stale/visible/lost split, frames, refreshes and
 * their retries, would-sleep and EAGAIN counts, unmap-use, kicks, the storm, and the
 * invalidation, reader-loop, kick (request to acknowledgement) and deferral (first deferred start
 * to the worker's end) latencies (ns, HdrHistogram with 3 significant digits, up to one minute).
 */
public final class GpcTally {
    private final EnumMap<GpcOutcome, Long> counts = new EnumMap<>(GpcOutcome.class);
    private final RaceWindow window;
    private final Histogram invalidationNs = new Histogram(60_000_000_000L, 3);
    private final Histogram readerLoopNs = new Histogram(60_000_000_000L, 3);
    private final Histogram kickNs = new Histogram(60_000_000_000L, 3);
    private final Histogram deferNs = new Histogram(60_000_000_000L, 3);
    private final Map<String, Long> zapErrors = new TreeMap<>();
    private long rounds, invalidated, staleAccesses, visibleAccesses, lostAccesses, forbiddenRounds;
    private long framesKnown, framesChanged, resetRounds, zappedRounds, refreshes, refreshRetries, readersInsideRounds, uffdEvents;
    private long events, eagainStarts, unmapRounds, unmapUseAccesses, kicks, deferredRounds, stormInvalidations, retryRounds;
    private long maxRetries;
    private long lastElapsedNs;
    private TestResult.FirstForbidden firstForbidden;
    private long hungAtRound;

    public GpcTally(long delayMinNs, long delayMaxNs) {
        for (GpcOutcome o : GpcOutcome.values()) counts.put(o, 0L);
        window = new RaceWindow(delayMinNs, delayMaxNs);
    }

    /** One judged round. */
    void add(RoundRecord r, org.gpcrace.protocol.Oracle.RoundVerdict v, long unmapUse, String zapError) {
        EnumSet<GpcOutcome> outcomes = v.outcomes;
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
        staleAccesses += v.stale;
        visibleAccesses += v.visible;
        lostAccesses += v.lost;
        if (r.pfnBefore() != 0 && r.pfnAfter() != 0) {
            framesKnown++;
            if (r.pfnBefore() != r.pfnAfter()) framesChanged++;
        }
        if (r.reset()) resetRounds++;
        if (r.zapped()) zappedRounds++;
        if (r.uffdEvent()) uffdEvents++;
        if (r.unmap()) unmapRounds++;
        if (r.deferred()) {
            deferredRounds++;
            if (r.deferNs() > 0) deferNs.recordValue(Math.min(r.deferNs(), deferNs.getHighestTrackableValue()));
        }
        refreshes += r.refreshes();
        refreshRetries += r.refreshRetries();
        if (r.refreshRetries() > 0) retryRounds++;
        maxRetries = Math.max(maxRetries, Integer.toUnsignedLong(r.maxRetries()));
        events += r.events();
        eagainStarts += r.eagains();
        kicks += r.kicks();
        stormInvalidations += Integer.toUnsignedLong(r.stormInvalidations());
        unmapUseAccesses += unmapUse;
        if (r.readersInside() > 0) readersInsideRounds++;
        if (zapError != null) zapErrors.merge(zapError, 1L, Long::sum);
    }

    void addKick(long ns) {
        if (ns > 0) kickNs.recordValue(Math.min(ns, kickNs.getHighestTrackableValue()));
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
    public Histogram kickNs() { return kickNs; }
    public Histogram deferNs() { return deferNs; }
    public long refreshRetries() { return refreshRetries; }
    public long unmapUseAccesses() { return unmapUseAccesses; }
    public long stormInvalidations() { return stormInvalidations; }

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
        f.add(new Figure("invalidationStarts", events, "starts"));
        f.add(new Figure("eagainStarts", eagainStarts, "starts"));
        f.add(new Figure("retryRounds", retryRounds, "rounds"));
        f.add(new Figure("maxRefreshRetries", maxRetries, "retries"));
        f.add(new Figure("unmapRounds", unmapRounds, "rounds"));
        f.add(new Figure("unmapUseAccesses", unmapUseAccesses, "accesses"));
        f.add(new Figure("kicks", kicks, "kicks"));
        f.add(new Figure("deferredRounds", deferredRounds, "rounds"));
        f.add(new Figure("stormInvalidations", stormInvalidations, "invalidations"));
        if (hungAtRound > 0) f.add(new Figure("hungAtRound", hungAtRound, "round"));
        return f;
    }
}
