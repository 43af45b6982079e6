package org.gpcrace.protocol;

import java.util.EnumSet;

/**
 * The exact oracle of DESIGN.md section 3, shared by the hardware arbiter and the model.
 * Per reader r: S = in-page counter read right after the notifier-start step returned,
 * Tinv = accesses the reader made with the invalidated generation, Tnew = accesses with the next
 * generation, C = the counter in the new frame at the round's end. Then
 * stale = Tinv - S, visible = C - Tnew, lost = stale - visible; a negative value is a harness bug.
 */
public final class Oracle {
    private Oracle() {}

    /** One reader's split of its stale accesses. */
    public record ReaderVerdict(long stale, long visible, long lost) {
        public boolean inconsistent() { return stale < 0 || visible < 0 || lost < 0; }
    }

    public static ReaderVerdict reader(long snapshot, long talliedInvalidGen, long talliedNextGen, long counterInNewFrame) {
        long stale = talliedInvalidGen - snapshot;
        long visible = counterInNewFrame - talliedNextGen;
        return new ReaderVerdict(stale, visible, stale - visible);
    }

    /**
     * Classifies a round. {@code invalidated} is false when the invalidation was skipped (eagain),
     * in which case no reader can be stale and the counters are not judged.
     */
    public static EnumSet<GpcOutcome> classify(boolean invalidated, long[] snapshot, long[] tallyInvalid,
            long[] tallyNext, long[] counterNew, long wouldSleep, boolean eagain, boolean refreshLivelock) {
        EnumSet<GpcOutcome> out = EnumSet.noneOf(GpcOutcome.class);
        if (invalidated) {
            for (int r = 0; r < snapshot.length; r++) {
                ReaderVerdict v = reader(snapshot[r], tallyInvalid[r], tallyNext[r], counterNew[r]);
                if (v.inconsistent()) out.add(GpcOutcome.HARNESS_INCONSISTENCY);
                else {
                    if (v.visible() > 0) out.add(GpcOutcome.STALE_VISIBLE);
                    if (v.lost() > 0) out.add(GpcOutcome.STALE_LOST);
                }
            }
        }
        if (wouldSleep > 0) out.add(GpcOutcome.WOULD_SLEEP);
        if (eagain) out.add(GpcOutcome.EAGAIN);
        if (refreshLivelock) out.add(GpcOutcome.REFRESH_LIVELOCK);
        if (out.isEmpty()) out.add(GpcOutcome.CLEAN);
        return out;
    }

    /**
     * The same classification for a harness that also tallies accesses made with any generation
     * other than the invalidated one and the next ({@code tallyOther}): one round has a single
     * invalidation, so such an access can only be a harness bug, reported as an inconsistency.
     */
    public static EnumSet<GpcOutcome> classify(boolean invalidated, long[] snapshot, long[] tallyInvalid,
            long[] tallyNext, long[] tallyOther, long[] counterNew, long wouldSleep, boolean eagain, boolean refreshLivelock) {
        EnumSet<GpcOutcome> out = classify(invalidated, snapshot, tallyInvalid, tallyNext, counterNew, wouldSleep, eagain, refreshLivelock);
        for (long other : tallyOther) {
            if (other != 0) {
                out.add(GpcOutcome.HARNESS_INCONSISTENCY);
                out.remove(GpcOutcome.CLEAN);
            }
        }
        return out;
    }
}
