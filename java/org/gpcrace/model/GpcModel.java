package org.gpcrace.model;

import static org.gpcrace.model.TransitionSystem.Field.Kind.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.gpcrace.protocol.GpcOutcome;
import org.gpcrace.protocol.Oracle;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.protocol.LockKind;
import org.gpcrace.protocol.NonblockPolicy;

/**
 * The userspace GPC of DESIGN.md sections 1-3 as a transition system: the state the hardware
 * harness has (valid, generation, seqcount, rwlock, SRCU readers, refresh mutex,
 * mn_active_invalidate_count, mmu_invalidate_seq, which frame the mapping reaches) plus the
 * oracle's per-reader quantities (counter in the old and in the new frame, tallies by
 * generation, the snapshot S_r), and the semantics of each {@link Op}. Final states are judged
 * by {@link Oracle#classify}, the same code the hardware arbiter uses.
 */
public final class GpcModel implements TransitionSystem {
    // shared fields
    private static final int VALID = 0, GEN = 1, SEQ = 2, WLOCK = 3, WWAIT = 4, RLOCKED = 5, REFRESH = 6,
            ACTIVE = 7, ISEQ = 8, MAPPING = 9, SRCU_WAIT = 10, WOULD_SLEEP = 11, EAGAIN_F = 12, LIVELOCK = 13,
            EVT = 14, REUSE = 15, PC0 = 16;
    // per-reader fields, at readerBase(r) + offset
    private static final int ACC = 0, LGEN = 1, LVALID = 2, LSEQ = 3, MSEQ = 4, RETRIES = 5, SRCU_IN = 6,
            OLD = 7, NEW = 8, T_INV = 9, T_NEXT = 10, SNAP = 11, DONE_AT = 12, PER_READER = 13;

    private final GpcModelConfig cfg;
    private final List<Program> programs = new ArrayList<>();
    private final List<Field> fields = new ArrayList<>();
    private final int readers, invalidator, monitor; // actor indexes; monitor -1 when none

    public GpcModel(GpcModelConfig cfg) {
        this.cfg = cfg;
        this.readers = cfg.readers();
        for (int r = 0; r < readers; r++) programs.add(Programs.reader(cfg.protocol(), "r" + r));
        invalidator = programs.size();
        programs.add(Programs.invalidator(cfg.protocol()));
        Program mon = Programs.monitor(cfg.protocol());
        monitor = mon == null ? -1 : programs.size();
        if (mon != null) programs.add(mon);

        fields.addAll(List.of(new Field("gpc.valid", BOOL), new Field("gpc.generation", GENERATION),
                new Field("gpc.seqcount", COUNT), new Field("gpc.lock.writer", OWNER),
                new Field("gpc.lock.writerWaiting", BOOL), new Field("gpc.lock.readers", MASK),
                new Field("gpc.refresh_lock", OWNER), new Field("kvm.mn_active_invalidate_count", COUNT),
                new Field("kvm.mmu_invalidate_seq", COUNT), new Field("mapping", FRAME),
                new Field("srcu.waitingFor", MASK), new Field("wouldSleep", COUNT), new Field("eagain", BOOL),
                new Field("refreshLivelock", BOOL), new Field("uffd.event", EVENT),
                new Field("remap.ontoPinnedPage", BOOL)));
        for (Program p : programs) fields.add(new Field(p.actor() + ".pc", HIDDEN));
        for (int r = 0; r < readers; r++) {
            String n = "r" + r + ".";
            fields.addAll(List.of(new Field(n + "accesses", COUNT), new Field(n + "local.generation", GENERATION, true),
                    new Field(n + "local.valid", BOOL, true), new Field(n + "local.seq", COUNT, true),
                    new Field(n + "local.mmu_seq", COUNT, true), new Field(n + "refreshRetries", COUNT, true),
                    new Field(n + "srcu", BOOL), new Field(n + "counter@old", COUNT), new Field(n + "counter@new", COUNT),
                    new Field(n + "T[g]", COUNT), new Field(n + "T[g+1]", COUNT), new Field(n + "S", COUNT),
                    new Field(n + "local.done", BOOL, true)));
        }
    }

    public GpcModelConfig config() { return cfg; }

    public List<Program> programs() { return Collections.unmodifiableList(programs); }

    @Override public List<Field> fields() { return fields; }

    /**
     * The cache is valid (generation g) when the round starts. For pinned, the harness's remap
     * flips the guest address between two file pages and the pin is not renewed between rounds,
     * so in every other round the remap maps the very page the pin holds (whose counters the
     * harness then resets as its new owner): both cases are initial states.
     */
    @Override public List<byte[]> initials() {
        byte[] s = new byte[fields.size()];
        s[VALID] = 1;
        if (cfg.protocol() != Protocol.PINNED) return List.of(s);
        byte[] reuse = s.clone();
        reuse[REUSE] = 1;
        return List.of(s, reuse);
    }

    @Override public String describeInitial(int index) {
        if (cfg.protocol() != Protocol.PINNED) return "";
        return index == 0 ? "the remap will map a page the pin does not hold"
                : "the remap will map the page the pin holds (the harness flips between two file pages)";
    }

    @Override public int actors() { return programs.size(); }

    @Override public String actorName(int actor) { return programs.get(actor).actor(); }

    @Override public boolean done(byte[] s, int actor) { return s[PC0 + actor] >= programs.get(actor).size(); }

    private int rb(int r) { return PC0 + programs.size() + r * PER_READER; }

    @Override public String step(byte[] s, int actor, byte[] n) {
        Program prog = programs.get(actor);
        int pc = s[PC0 + actor];
        return actor < readers ? readerStep(s, n, actor, prog, pc) : invalidatorStep(s, n, actor, prog, pc);
    }

    /** The round's invalidation has ended: the invalidator (and the monitor) finished. */
    private boolean invalidationEnded(byte[] s) {
        for (int a = readers; a < programs.size(); a++) if (!done(s, a)) return false;
        return true;
    }

    private String readerStep(byte[] s, byte[] n, int r, Program prog, int pc) {
        int b = rb(r), bit = 1 << r;
        Program.Instr in = prog.at(pc);
        int next = prog.next(pc);
        String label;
        switch (in.op()) {
            case LOAD_DONE -> {
                boolean ended = invalidationEnded(s);
                // hardware readers keep accessing until one access starts after the end; the model
                // allows cfg.extraAccesses() of them past K, then waits for the end (finite state space)
                if (!ended && s[b + ACC] >= cfg.accesses() + cfg.extraAccesses() - 1) return null;
                n[b + DONE_AT] = (byte) (ended ? 1 : 0);
                label = ended ? "access " + (s[b + ACC] + 1) + ": the invalidation has ended"
                        : "access " + (s[b + ACC] + 1) + ": the invalidation has not ended";
            }
            case READ_LOCK -> {
                if (s[WLOCK] != 0 || s[WWAIT] != 0) return null;
                n[RLOCKED] |= (byte) bit;
                label = "read_lock";
            }
            case READ_UNLOCK -> { n[RLOCKED] &= (byte) ~bit; label = "read_unlock"; }
            case READ_UNLOCK_END -> { n[RLOCKED] &= (byte) ~bit; return endAccess(n, r, prog, "read_unlock"); }
            case CHECK_VALID -> {
                if (s[VALID] != 0) { n[b + LGEN] = s[GEN]; label = "check: valid"; }
                else { next = in.alt(); label = "check: invalid -> refresh"; }
            }
            case SRCU_LOCK -> { n[b + SRCU_IN] = 1; label = "srcu_read_lock"; }
            case SRCU_UNLOCK -> { srcuUnlock(n, r); label = "srcu_read_unlock"; }
            case SRCU_UNLOCK_END -> { srcuUnlock(n, r); return endAccess(n, r, prog, "srcu_read_unlock"); }
            case SEQ_BEGIN -> {
                if ((s[SEQ] & 1) != 0) return null;
                n[b + LSEQ] = s[SEQ];
                label = "read_seqcount_begin";
            }
            case SEQ_READ -> { n[b + LVALID] = s[VALID]; n[b + LGEN] = s[GEN]; label = "read valid, khva"; }
            case SEQ_RETRY -> {
                if (s[SEQ] != s[b + LSEQ]) { next = in.alt(); label = "read_seqcount_retry: changed, retry"; }
                else if (s[b + LVALID] == 0) { next = in.alt2(); label = "read_seqcount_retry: ok, invalid -> refresh"; }
                else label = "read_seqcount_retry: ok, valid";
            }
            case ACCESS -> { access(s, n, r, s[MAPPING], s[b + LGEN]); label = "access"; }
            case ACCESS_END -> { access(s, n, r, s[MAPPING], s[b + LGEN]); return endAccess(n, r, prog, "access"); }
            case ACCESS_ALIAS_END -> {
                if (s[b + LGEN] != 0) throw new IllegalStateException("model invariant: the pinned alias was refreshed");
                // the alias reaches the pinned page: the old frame, unless the remap made it the new one
                access(s, n, r, s[REUSE] != 0 && s[MAPPING] != 0 ? 1 : 0, 0);
                return endAccess(n, r, prog, "access through the pinned alias");
            }
            case RF_MUTEX -> {
                if (s[REFRESH] != 0) return null;
                n[REFRESH] = (byte) (r + 1);
                label = "refresh: mutex_lock(refresh_lock)";
            }
            case RF_VALID -> {
                if (s[VALID] != 0) { next = in.alt(); label = "refresh: valid again (another reader refreshed)"; }
                else label = "refresh: still invalid";
            }
            case RF_WAIT -> {
                if (s[ACTIVE] != 0) return null;
                if (s[b + RETRIES] > cfg.refreshBound()) n[LIVELOCK] = 1;
                label = "refresh: mn_active_invalidate_count == 0";
            }
            case RF_SEQ -> {
                n[b + MSEQ] = s[ISEQ];
                label = "refresh: mmu_seq = mmu_invalidate_seq; fault the page in";
            }
            case RF_PUBLISH -> {
                if (!writeSideFree(s)) return null;
                if (s[ACTIVE] != 0 || s[ISEQ] != s[b + MSEQ]) {
                    n[b + RETRIES] = (byte) Math.min(s[b + RETRIES] + 1, cfg.refreshBound() + 1);
                    next = in.alt();
                    label = "refresh: " + writeLockName() + "invalidation since mmu_seq: retry" + writeUnlockName();
                } else {
                    if (s[GEN] != 0) throw new IllegalStateException("model invariant: a second publication in one round");
                    n[VALID] = 1;
                    n[GEN] = 1;
                    label = "refresh: " + writeLockName() + "publish valid, generation g+1" + writeUnlockName();
                }
            }
            case RF_MUTEX_UNLOCK -> {
                n[REFRESH] = 0;
                n[b + MSEQ] = 0;
                n[b + RETRIES] = 0;
                label = "refresh: mutex_unlock(refresh_lock)";
            }
            default -> throw new IllegalStateException("not a reader step: " + in.op());
        }
        n[PC0 + r] = (byte) next;
        return label;
    }

    private String invalidatorStep(byte[] s, byte[] n, int a, Program prog, int pc) {
        Program.Instr in = prog.at(pc);
        int next = prog.next(pc);
        int holder = a == monitor ? Field.OWNER_MONITOR : Field.OWNER_INVALIDATOR;
        boolean mayNotSleep = cfg.nonblock() && a == invalidator;
        String label = switch (in.op()) {
            case COUNT_INC -> { n[ACTIVE]++; yield "mn_active_invalidate_count++"; }
            case WLOCK_TRY -> {
                if (s[WLOCK] == 0 && s[RLOCKED] == 0) {
                    n[WLOCK] = (byte) holder;
                    next = pc + 2; // acquired at once: skip the wait
                    yield "write_lock";
                }
                if (mayNotSleep && cfg.lock() == LockKind.SLEEPING) {
                    // -EAGAIN before waiting is the way out, not a would-sleep
                    if (cfg.policy() == NonblockPolicy.EAGAIN) { next = in.alt(); yield "write_lock would sleep: return -EAGAIN first"; }
                    n[WOULD_SLEEP] = (byte) Math.min(s[WOULD_SLEEP] + 1, 3);
                    n[WWAIT] = 1;
                    yield "write_lock would sleep: " + (cfg.policy() == NonblockPolicy.SPIN ? "spins" : "sleeps") + " until readers drain";
                }
                n[WWAIT] = 1;
                yield "write_lock: waits for readers to drain";
            }
            case WLOCK_WAIT -> {
                if (s[WLOCK] != 0 || s[RLOCKED] != 0) yield null;
                n[WLOCK] = (byte) holder;
                n[WWAIT] = 0;
                yield "write_lock acquired";
            }
            case CLEAR_VALID -> { n[VALID] = 0; yield "valid = false"; }
            case WUNLOCK -> { n[WLOCK] = 0; yield "write_unlock"; }
            case SEQ_WBEGIN -> {
                if ((s[SEQ] & 1) != 0) yield null;
                n[SEQ]++;
                yield "write_seqlock";
            }
            case SEQ_WEND -> { n[SEQ]++; yield "write_sequnlock"; }
            case SYNC_SRCU -> {
                int inside = srcuReaders(s);
                if (inside == 0) { next = pc + 2; yield "synchronize_srcu: no reader inside"; }
                if (mayNotSleep) {
                    if (cfg.policy() == NonblockPolicy.EAGAIN) { next = in.alt(); yield "synchronize_srcu would sleep: return -EAGAIN first"; }
                    n[WOULD_SLEEP] = (byte) Math.min(s[WOULD_SLEEP] + 1, 3);
                }
                n[SRCU_WAIT] = (byte) inside;
                yield "synchronize_srcu: waits for readers inside" + (mayNotSleep ? " (would sleep)" : "");
            }
            case SYNC_WAIT -> {
                if (s[SRCU_WAIT] != 0) yield null;
                yield "synchronize_srcu returns";
            }
            case SNAPSHOT -> { snapshot(s, n); yield "notifier start returned: S = counters"; }
            case ZAP -> {
                n[MAPPING] = 1;
                if (cfg.protocol() != Protocol.PINNED) yield "zap";
                if (s[REUSE] == 0) yield "remap";
                // the new owner's reset erases what the alias wrote into the page so far
                for (int r = 0; r < readers; r++) n[rb(r) + OLD] = 0;
                yield "remap onto the pinned page; counters reset";
            }
            case EAGAIN -> { n[EAGAIN_F] = 1; yield "return -EAGAIN: zap skipped"; }
            case SEQ_INC -> { n[ISEQ]++; yield "mmu_invalidate_seq++"; }
            case COUNT_DEC -> { n[ACTIVE]--; yield "mn_active_invalidate_count--"; }
            case POST_EVENT -> { n[EVT] = 1; yield "madvise: UFFD_EVENT_REMOVE queued, waits"; }
            case ZAP_AFTER_READ -> {
                if (s[EVT] != 2) yield null;
                n[MAPPING] = 1;
                yield "madvise: zap";
            }
            case POLL_EVENT -> {
                if (s[EVT] != 1) yield null;
                n[ACTIVE]++;
                yield "poll: event pending; mn_active_invalidate_count++";
            }
            case READ_EVENT -> { n[EVT] = 2; yield "read event: madvise may zap"; }
            case WAIT_MADVISE -> done(s, invalidator) ? "madvise returned" : null;
            default -> throw new IllegalStateException("not an invalidator step: " + in.op());
        };
        if (label != null) n[PC0 + a] = (byte) next;
        return label;
    }

    /** After K accesses, the reader stops at the first access that began after the invalidation ended. */
    private String endAccess(byte[] n, int r, Program prog, String label) {
        int b = rb(r);
        n[b + ACC]++;
        boolean last = n[b + ACC] >= cfg.accesses() && n[b + DONE_AT] != 0;
        // locals are dead between accesses: clearing them lets equal states hash equal
        n[b + LGEN] = 0;
        n[b + LVALID] = 0;
        n[b + LSEQ] = 0;
        n[b + DONE_AT] = 0;
        n[PC0 + r] = (byte) (last ? prog.size() : 0);
        return label;
    }

    /** One access: the reader's counter is incremented in the frame its address reaches, and tallied by generation. */
    private void access(byte[] s, byte[] n, int r, int frame, int gen) {
        int b = rb(r);
        n[b + (frame == 0 ? OLD : NEW)]++;
        n[b + (gen == 0 ? T_INV : T_NEXT)]++;
    }

    private void snapshot(byte[] s, byte[] n) {
        if (s[MAPPING] != 0) throw new IllegalStateException("model invariant: snapshot after the zap");
        for (int r = 0; r < readers; r++) n[rb(r) + SNAP] = s[rb(r) + OLD];
    }

    private void srcuUnlock(byte[] n, int r) {
        n[rb(r) + SRCU_IN] = 0;
        n[SRCU_WAIT] &= (byte) ~(1 << r);
    }

    private int srcuReaders(byte[] s) {
        int m = 0;
        for (int r = 0; r < readers; r++) if (s[rb(r) + SRCU_IN] != 0) m |= 1 << r;
        return m;
    }

    private enum WriteSide { RWLOCK, SEQCOUNT, NONE }

    /** How a refresh publishes: under the protocol's write side. */
    private WriteSide writeSide() {
        return switch (cfg.protocol()) {
            case RWLOCK, UFFD_INVALIDATE_THEN_READ, UFFD_READ_THEN_INVALIDATE -> WriteSide.RWLOCK;
            case SEQCOUNT_SRCU, SEQCOUNT_SRCU_UNMAP_ONLY, SEQCOUNT -> WriteSide.SEQCOUNT;
            case UNLOCKED, PINNED -> WriteSide.NONE;
        };
    }

    private boolean writeSideFree(byte[] s) {
        return switch (writeSide()) {
            case RWLOCK -> s[WLOCK] == 0 && s[RLOCKED] == 0;
            case SEQCOUNT -> (s[SEQ] & 1) == 0;
            case NONE -> true;
        };
    }

    /*
     * The publication is one atomic step: inside the write side the refresh only reads the
     * notifier counters and writes the translation, and the only steps that could interleave
     * (the invalidator's lock-free count/seq updates) commute with it.
     */
    private String writeLockName() {
        return switch (writeSide()) { case RWLOCK -> "write_lock; "; case SEQCOUNT -> "write_seqlock; "; case NONE -> ""; };
    }

    private String writeUnlockName() {
        return switch (writeSide()) { case RWLOCK -> "; write_unlock"; case SEQCOUNT -> "; write_sequnlock"; case NONE -> ""; };
    }

    @Override public Set<String> outcomes(byte[] s, boolean deadlock) {
        int G = Oracle.GENS;
        long[] snap = new long[readers * G], t = new long[readers * G], c = new long[readers * G];
        long[] other = new long[readers], unmap = new long[readers];
        for (int r = 0; r < readers; r++) {
            int b = rb(r);
            snap[r * G] = s[b + SNAP];
            t[r * G] = s[b + T_INV];
            t[r * G + 1] = s[b + T_NEXT];
            c[r * G] = 0;
            c[r * G + 1] = s[b + NEW] - s[b + T_NEXT] + s[b + T_NEXT];
        }
        EnumSet<GpcOutcome> out = Oracle.classify(new Oracle.Round(readers, s[EAGAIN_F] == 0 ? 1 : 0, s[GEN], snap, t, other, c, unmap,
                s[WOULD_SLEEP], s[EAGAIN_F] != 0, s[LIVELOCK] != 0, false)).outcomes;
        if (deadlock) {
            out.remove(GpcOutcome.CLEAN);
            out.add(GpcOutcome.HANG);
        }
        Set<String> ids = new LinkedHashSet<>();
        for (GpcOutcome o : out) ids.add(o.id());
        return ids;
    }
}
