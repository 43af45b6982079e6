package org.gpcrace.scenario.gpc;

import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.function.IntFunction;
import org.gpcrace.protocol.GpcOutcome;
import org.gpcrace.protocol.Oracle;

/**
 * Judges a batch of rounds with the shared oracle (the same classification the model uses): per
 * round the readers' S_r, T_r[g_inv], T_r[g_inv+1], T_r[other] and C_r go to
 * {@link Oracle#classify}, and the outcomes into the tally.
 */
public final class RoundJudge {
    private final int readers;
    private final GpcTally tally;
    private final IntFunction<String> errnoName;
    private final long[] s, tInv, tNext, tOther, c;

    public RoundJudge(int readers, GpcTally tally, IntFunction<String> errnoName) {
        this.readers = readers;
        this.tally = tally;
        this.errnoName = errnoName;
        s = new long[readers];
        tInv = new long[readers];
        tNext = new long[readers];
        tOther = new long[readers];
        c = new long[readers];
    }

    public void judge(MemorySegment buf, long count) {
        long stride = RoundRecord.bytes(readers);
        for (long i = 0; i < count; i++) {
            long base = i * stride;
            RoundRecord r = RoundRecord.read(buf, base);
            long stale = 0, visible = 0, lost = 0;
            for (int k = 0; k < readers; k++) {
                long at = RoundRecord.reader(base, k);
                s[k] = RoundRecord.l(buf, at + RoundRecord.SNAPSHOT);
                tInv[k] = RoundRecord.l(buf, at + RoundRecord.TALLY_INV);
                tNext[k] = RoundRecord.l(buf, at + RoundRecord.TALLY_NEXT);
                tOther[k] = RoundRecord.l(buf, at + RoundRecord.TALLY_OTHER);
                c[k] = RoundRecord.l(buf, at + RoundRecord.COUNTER_NEW);
                tally.addLoop(RoundRecord.l(buf, at + RoundRecord.LOOP_NS));
                if (r.invalidated()) {
                    Oracle.ReaderVerdict v = Oracle.reader(s[k], tInv[k], tNext[k], c[k]);
                    if (!v.inconsistent()) {
                        stale += v.stale();
                        visible += v.visible();
                        lost += v.lost();
                    }
                }
            }
            EnumSet<GpcOutcome> out = Oracle.classify(r.invalidated(), s, tInv, tNext, tOther, c, r.wouldSleep(),
                    r.eagain(), r.livelock());
            String zapError = r.zapErrno() != 0 ? errnoName.apply(r.zapErrno()) : null;
            tally.add(r, out, stale, visible, lost, zapError);
        }
    }
}
