package org.gpcrace.model;

import static org.gpcrace.model.Op.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.protocol.Protocol;

/**
 * Each protocol variant's actors as programs of atomic steps (DESIGN.md section 1):
 * readers, the invalidator (the MMU-notifier start, snapshot, zap, end) and, for the
 * userfaultfd variants, a madvise thread plus a monitor. They follow the hardware harness
 * (native/src/gpc*.c, race.c, uffd_notifier.c): a reader reads "the invalidation has ended" at the
 * top of every access and stops after K accesses at the first access that began after the end.
 */
public final class Programs {
    private Programs() {}

    public static Program reader(Protocol p, String name) {
        Asm a = new Asm(name);
        a.op(LOAD_DONE);
        a.label("start");
        switch (p) {
            case RWLOCK, UFFD_INVALIDATE_THEN_READ, UFFD_READ_THEN_INVALIDATE -> {
                a.op(READ_LOCK);
                a.op(CHECK_VALID).alt("refresh");
                a.op(ACCESS);
                a.op(READ_UNLOCK_END);
                a.label("refresh").op(READ_UNLOCK);
            }
            case SEQCOUNT_SRCU, SEQCOUNT_SRCU_UNMAP_ONLY -> {
                a.op(SRCU_LOCK);
                a.label("begin").op(SEQ_BEGIN);
                a.op(SEQ_READ);
                a.op(SEQ_RETRY).alt("begin").alt2("refresh");
                a.op(ACCESS);
                a.op(SRCU_UNLOCK_END);
                a.label("refresh").op(SRCU_UNLOCK);
            }
            case SEQCOUNT -> {
                a.label("begin").op(SEQ_BEGIN);
                a.op(SEQ_READ);
                a.op(SEQ_RETRY).alt("begin").alt2("refresh");
                a.op(ACCESS_END);
                a.label("refresh");
            }
            case UNLOCKED -> {
                a.op(CHECK_VALID).alt("refresh");
                a.op(ACCESS_END);
                a.label("refresh");
            }
            case PINNED -> {
                a.op(CHECK_VALID).alt("refresh");
                a.op(ACCESS_ALIAS_END);
                a.label("refresh");
            }
        }
        // gpc_refresh(), entered with the read side released; ends by entering it again
        a.op(RF_MUTEX);
        a.op(RF_VALID).alt("rf_unlock");
        a.label("rf_wait").op(RF_WAIT);
        a.op(RF_SEQ);
        a.op(RF_PUBLISH).alt("rf_wait");
        a.label("rf_unlock").op(RF_MUTEX_UNLOCK).next("start");
        return a.build();
    }

    /** The invalidator; for the userfaultfd variants, the madvise thread (which knows nothing of the cache). */
    public static Program invalidator(Protocol p) {
        if (p.usesUffd()) {
            return new Asm("madvise").op(POST_EVENT).op(ZAP_AFTER_READ).build();
        }
        Asm a = new Asm("invalidator");
        a.op(COUNT_INC);
        switch (p) {
            case RWLOCK -> {
                a.op(WLOCK_TRY).alt("eagain");
                a.op(WLOCK_WAIT);
                a.op(CLEAR_VALID);
                a.op(WUNLOCK);
            }
            case SEQCOUNT_SRCU -> {
                a.op(SEQ_WBEGIN).op(CLEAR_VALID).op(SEQ_WEND);
                a.op(SYNC_SRCU).alt("eagain");
                a.op(SYNC_WAIT);
            }
            case SEQCOUNT_SRCU_UNMAP_ONLY, SEQCOUNT -> a.op(SEQ_WBEGIN).op(CLEAR_VALID).op(SEQ_WEND);
            case UNLOCKED -> a.op(CLEAR_VALID);
            case PINNED -> { } // the pinned alias is not invalidated: nothing to do before the remap
            default -> throw new IllegalStateException(p.id());
        }
        a.op(SNAPSHOT);
        a.op(ZAP).next("end");
        a.label("eagain").op(EAGAIN);
        a.label("end").op(SEQ_INC);
        a.op(COUNT_DEC);
        return a.build();
    }

    /** The userfaultfd monitor, or null for the other variants. */
    public static Program monitor(Protocol p) {
        Asm a = new Asm("monitor");
        switch (p) {
            case UFFD_INVALIDATE_THEN_READ -> {
                a.op(POLL_EVENT);
                a.op(WLOCK_TRY);
                a.op(WLOCK_WAIT).op(CLEAR_VALID).op(WUNLOCK);
                a.op(SNAPSHOT); // the last instant before the read releases the madvise
                a.op(READ_EVENT);
            }
            case UFFD_READ_THEN_INVALIDATE -> {
                a.op(POLL_EVENT);
                a.op(SNAPSHOT);
                a.op(READ_EVENT);
                a.op(WLOCK_TRY);
                a.op(WLOCK_WAIT).op(CLEAR_VALID).op(WUNLOCK);
            }
            default -> { return null; }
        }
        a.op(WAIT_MADVISE);
        a.op(SEQ_INC);
        a.op(COUNT_DEC);
        return a.build();
    }

    /** A tiny assembler: ops in order, labels, forward jumps resolved at the end. */
    private static final class Asm {
        private final String actor;
        private final List<Op> ops = new ArrayList<>();
        private final List<String[]> targets = new ArrayList<>(); // next, alt, alt2 label names
        private final Map<String, Integer> labels = new HashMap<>();

        Asm(String actor) {
            this.actor = actor;
        }

        Asm op(Op op) {
            ops.add(op);
            targets.add(new String[3]);
            return this;
        }

        Asm label(String name) {
            labels.put(name, ops.size());
            return this;
        }

        Asm next(String label) { targets.getLast()[0] = label; return this; }

        Asm alt(String label) { targets.getLast()[1] = label; return this; }

        Asm alt2(String label) { targets.getLast()[2] = label; return this; }

        Program build() {
            List<Program.Instr> code = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                String[] t = targets.get(i);
                code.add(new Program.Instr(ops.get(i), resolve(t[0]), resolve(t[1]), resolve(t[2])));
            }
            return new Program(actor, List.copyOf(code));
        }

        private int resolve(String label) {
            if (label == null) return -1;
            Integer pc = labels.get(label);
            if (pc == null) throw new IllegalStateException(actor + ": no label " + label);
            return pc;
        }
    }
}
