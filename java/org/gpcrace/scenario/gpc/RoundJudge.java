package org.gpcrace.scenario.gpc;

import java.lang.foreign.MemorySegment;
import java.util.function.IntFunction;
import org.gpcrace.protocol.Oracle;

/**
 * Judges a batch of rounds with the shared oracle (the same classification the model uses): per
 * round every reader's S[d], T[d], C[d], other-generation tally and unmap-use go to
 * {@link Oracle#classify}, and the verdict into the tally.
 */
public final class RoundJudge {
    private static final int G = Oracle.GENS;
    private final int readers;
    private final GpcTally tally;
    private final IntFunction<String> errnoName;
    private final long[] s, t, c, other, unmap;

    public RoundJudge(int readers, GpcTally tally, IntFunction<String> errnoName) {
        this.readers = readers;
        this.tally = tally;
        this.errnoName = errnoName;
        s = new long[readers * G];
        t = new long[readers * G];
        c = new long[readers * G];
        other = new long[readers];
        unmap = new long[readers];
    }

    public void judge(MemorySegment buf, long count) {
        long stride = RoundRecord.bytes(readers);
        for (long i = 0; i < count; i++) {
            long base = i * stride;
            RoundRecord r = RoundRecord.read(buf, base);
            for (int k = 0; k < readers; k++) {
                long at = RoundRecord.reader(base, k);
                for (int d = 0; d < G; d++) {
                    s[k * G + d] = RoundRecord.l(buf, at + RoundRecord.SNAPSHOT + 8L * d);
                    t[k * G + d] = RoundRecord.l(buf, at + RoundRecord.TALLY + 8L * d);
                    c[k * G + d] = RoundRecord.l(buf, at + RoundRecord.COUNTER_END + 8L * d);
                }
                other[k] = RoundRecord.l(buf, at + RoundRecord.TALLY_OTHER);
                unmap[k] = Integer.toUnsignedLong(RoundRecord.i(buf, at + RoundRecord.UNMAP_USE));
                tally.addLoop(RoundRecord.l(buf, at + RoundRecord.LOOP_NS));
                tally.addKick(RoundRecord.l(buf, at + RoundRecord.KICK_NS));
            }
            Oracle.RoundVerdict v = Oracle.classify(new Oracle.Round(readers, r.snapMask(), r.finalGen(), s, t, other, c, unmap,
                    r.wouldSleep(), r.eagain(), r.livelock(), false));
            long unmapUse = 0;
            for (long u : unmap) unmapUse += u;
            String zapError = r.zapErrno() != 0 ? errnoName.apply(r.zapErrno()) : null;
            tally.add(r, v, unmapUse, zapError);
        }
    }
}
