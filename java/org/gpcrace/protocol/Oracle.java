package org.gpcrace.protocol;

import java.util.EnumSet;

/**
 * The exact oracle, shared by the hardware arbiter and the model. A round has up to
 * {@link #GENS} generations of the cache (the round's first, g, and one per invalidation that
 * led to a new translation); each reader keeps one counter per generation in its slot of the
 * page, so the generations never mix. Per reader r and generation d:
 * <ul>
 *   <li>T[d]: accesses the reader made with generation d (its private tally);</li>
 *   <li>S[d]: the counter of generation d in d's frame, read right after the notifier start that
 *       invalidated d returned (taken only for the generations some start invalidated: snapMask);</li>
 *   <li>C[d]: the counters of generation d at the round's end, summed over every frame the
 *       harness can read, after each frame was taken over by its new owner (counters reset).</li>
 * </ul>
 * Then for an invalidated generation stale = T - S (accesses after the start returned),
 * visible = C (those that landed in someone else's data), lost = stale - visible (into a frame
 * being freed, or wiped by an owner's takeover). For the round's last generation, if no start
 * invalidated it, every access landed in the current frame: C must equal T. A negative stale or
 * lost, C != T there, or an access tallied with a generation outside the round can only come
 * from a harness bug: harness-inconsistency, never silently dropped.
 */
public final class Oracle {
    private Oracle() {}

    /** Generations a round tallies (GPCRACE_GPC_GENS). */
    public static final int GENS = 4;

    /** One reader's split of its stale accesses. */
    public record ReaderVerdict(long stale, long visible, long lost) {
        public boolean inconsistent() { return stale < 0 || visible < 0 || lost < 0; }
    }

    public static ReaderVerdict reader(long snapshot, long tally, long counterEnd) {
        long stale = tally - snapshot;
        return new ReaderVerdict(stale, counterEnd, stale - counterEnd);
    }

    /** What a round showed, with its totals over readers and invalidated generations. */
    public static final class RoundVerdict {
        public final EnumSet<GpcOutcome> outcomes = EnumSet.noneOf(GpcOutcome.class);
        public long stale, visible, lost;
    }

    /**
     * One round's readers, flattened: index r * GENS + d for snapshot, tally and counterEnd.
     *
     * @param snapMask    bit d: a start invalidated generation d and took its snapshot
     * @param finalGen    the last generation published (offset from the round's first)
     * @param eagain      a non-blockable start returned -EAGAIN
     * @param reapStall   the reaper waited past its bound for memory (memory pressure runs)
     */
    public record Round(int readers, int snapMask, int finalGen, long[] snapshot, long[] tally, long[] tallyOther,
            long[] counterEnd, long[] unmapUse, long wouldSleep, boolean eagain, boolean livelock, boolean reapStall) {}

    public static RoundVerdict classify(Round r) {
        RoundVerdict v = new RoundVerdict();
        EnumSet<GpcOutcome> out = v.outcomes;
        for (int k = 0; k < r.readers(); k++) {
            for (int d = 0; d < GENS; d++) {
                int i = k * GENS + d;
                if ((r.snapMask() & (1 << d)) != 0) {
                    ReaderVerdict rv = reader(r.snapshot()[i], r.tally()[i], r.counterEnd()[i]);
                    if (rv.inconsistent()) {
                        out.add(GpcOutcome.HARNESS_INCONSISTENCY);
                        continue;
                    }
                    v.stale += rv.stale();
                    v.visible += rv.visible();
                    v.lost += rv.lost();
                    if (rv.visible() > 0) out.add(GpcOutcome.STALE_VISIBLE);
                    if (rv.lost() > 0) out.add(GpcOutcome.STALE_LOST);
                } else if (d == r.finalGen() && r.counterEnd()[i] != r.tally()[i]) {
                    out.add(GpcOutcome.HARNESS_INCONSISTENCY);
                }
            }
            if (r.tallyOther()[k] != 0) out.add(GpcOutcome.HARNESS_INCONSISTENCY);
            if (r.unmapUse()[k] > 0) out.add(GpcOutcome.UNMAP_USE);
        }
        if (r.wouldSleep() > 0) out.add(GpcOutcome.WOULD_SLEEP);
        if (r.eagain()) out.add(GpcOutcome.EAGAIN);
        if (r.livelock()) out.add(GpcOutcome.REFRESH_LIVELOCK);
        if (r.reapStall()) out.add(GpcOutcome.REAP_STALL);
        if (out.isEmpty()) out.add(GpcOutcome.CLEAN);
        return v;
    }
}
