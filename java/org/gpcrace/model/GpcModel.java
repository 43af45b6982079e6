package org.gpcrace.model;

import static org.gpcrace.model.TransitionSystem.Field.Kind.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gpcrace.protocol.GpcOutcome;
import org.gpcrace.protocol.LockKind;
import org.gpcrace.protocol.NonblockPolicy;
import org.gpcrace.protocol.Oracle;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.protocol.ReaderMode;
import org.gpcrace.protocol.RefreshMode;

/**
 * The userspace GPC as a transition system, with the state the C engine has: the cache (active,
 * valid, needs_invalidation, generation, khva and which kernel mappings gpc_unmap tore down, the
 * frame it cached), its locks (the rwlock or seqlock, the refresh mutex, SRCU readers), the
 * per-VM notifier state (mn_active_invalidate_count, mmu_invalidate_seq, and under PREEMPT_RT the
 * holders of mn_invalidate_lock, gpc_lock and mmu_lock), guest mode (each reader's mode, request,
 * signal in flight, kick noted), the defer worker's queue, and the oracle's quantities per reader
 * and generation (T accesses, S snapshot, V the counter in every frame the harness can read since
 * the last owner's takeover, unmap-use), exactly as race.c writes them. Final states are judged
 * by {@link Oracle#classify}, the code the hardware arbiter uses.
 *
 * Readers are identical: {@link #canonical} sorts their blocks (symmetry reduction), so states
 * that differ only by which reader is which are explored once.
 */
public final class GpcModel implements TransitionSystem {
    static final int NULL_MAP = 7, UHVA = 6;
    private static final int G = Oracle.GENS;
    // shared fields
    private static final int ACTIVE = 0, VALID = 1, NEEDS = 2, GEN = 3, KHVA = 4, TORN = 5, PFN = 6, FRAME_AT = 7, SEQ = 8,
            RW_W = 9, RW_WANT = 10, RW_READERS = 11, REFRESH = 12, MNC = 13, ISEQ = 14, MN = 15, GPCL = 16, MMU = 17,
            WOULD = 18, EAGAIN = 19, LIVELOCK = 20, SNAP = 21, DONE = 22, UNMAP_RD = 23, EVT = 24, DQ_DRAIN = 25, DQ_ACKS = 26,
            DQ_MMU = 27, PRE = 28, POSTVIS = 29, LOST = 30, UNCOUNTED = 31, UNMAP_ANY = 32, OTHER_ANY = 33, STORM = 34, RANGE_HIT = 35, SHARED = 36;
    // per-reader block
    private static final int R_PC = 0, R_IPIPC = 1, ACC = 2, DONE_AT = 3, LACT = 4, LVALID = 5, LKHVA = 6, LGEN = 7, LSEQ = 8,
            R_MSEQ = 9, R_RETRIES = 10, R_NEWMAP = 11, R_NEWFRAME = 12, R_OLDMAP = 13, R_SYNC = 14, R_TEAR = 15, SRCU_IN = 16,
            R_MODE = 17, REQ = 18, PENDING = 19, KICKED = 20, UNMAPUSE = 21, OTHER = 22, T0 = 23, S0 = T0 + G, V0 = S0 + G,
            PER_READER = V0 + G;
    // per other actor (invalidators, madvise, monitor, worker)
    private static final int A_PC = 0, A_MSEQ = 1, A_RETRIES = 2, A_NEWMAP = 3, A_NEWFRAME = 4, A_OLDMAP = 5, A_SYNC = 6,
            A_TEAR = 7, A_KICK = 8, PER_ACTOR = 9;
    private static final int NO_TEAR = 15, CAP = 7;
    // read-lock bits of actors that are not readers (readers use bits 0..readers-1)
    private static final int RBIT_OTHER = 4;

    private final GpcModelConfig cfg;
    private final List<Program> programs = new ArrayList<>();
    private final List<Field> fields = new ArrayList<>();
    private final int readers, ipiBase, firstOther, nInvalidators, monitor, madvise, worker, ws;
    private final int[] ownerOf; // actor -> lock-holder value
    private final boolean srcu, guest, rt, wait, alias, remapped, handoverAtZap, counts, storm;
    private int branch; // the branch the last step took: 0 next, 1 alt, 2 alt2, 3 alt3
    /** Step names are built only when someone reads them (traces): exploring needs only "moved". */
    private boolean labels = true;
    private static final String MOVED = "-";

    public GpcModel(GpcModelConfig cfg) {
        this.cfg = cfg;
        this.readers = cfg.readers();
        Protocol p = cfg.protocol();
        ws = Programs.writeSide(p);
        srcu = Programs.srcu(p);
        guest = cfg.readerMode() == ReaderMode.GUEST;
        rt = cfg.preemptRt();
        wait = cfg.refresh() == RefreshMode.WAIT;
        alias = cfg.frames().alias();
        remapped = cfg.frames().remapped();
        handoverAtZap = !cfg.frames().reset();
        counts = cfg.counts();
        storm = cfg.variant().storm();
        for (int r = 0; r < readers; r++) programs.add(Programs.reader(cfg, "r" + r));
        ipiBase = programs.size();
        if (guest) for (int r = 0; r < readers; r++) programs.add(Programs.ipi("r" + r));
        firstOther = programs.size();
        nInvalidators = p.usesUffd() ? 1 : Programs.invalidators(cfg);
        for (int i = 0; i < nInvalidators; i++) programs.add(Programs.invalidator(cfg, i));
        madvise = p.usesUffd() ? firstOther : -1;
        Program mon = Programs.monitor(cfg);
        monitor = mon == null ? -1 : programs.size();
        if (mon != null) programs.add(mon);
        Program sp = Programs.storm(cfg);
        if (sp != null) programs.add(sp);
        Program w = Programs.worker(cfg);
        worker = w == null ? -1 : programs.size();
        if (w != null) programs.add(w);
        fuseScratch = new byte[0];
        ownerOf = new int[programs.size()];
        for (int a = 0; a < programs.size(); a++) {
            if (a < readers) ownerOf[a] = a + 1;
            else if (a == monitor) ownerOf[a] = Field.OWNER_MONITOR;
            else if (a == worker) ownerOf[a] = Field.OWNER_WORKER;
            else if (a >= firstOther) ownerOf[a] = a == firstOther ? Field.OWNER_INV0 : Field.OWNER_INV1;
        }

        fields.addAll(List.of(new Field("gpc.active", BOOL), new Field("gpc.valid", BOOL), new Field("gpc.needs_invalidation", BOOL),
                new Field("gpc.generation", GENERATION), new Field("gpc.khva", MAPPING), new Field("torn-down views", MASK),
                new Field("gpc.pfn (frame)", COUNT), new Field("frame at the guest address", COUNT), new Field("gpc.seqcount odd", BOOL),
                new Field("gpc.lock.writer", OWNER), new Field("gpc.lock.writerWaiting", OWNER), new Field("gpc.lock.readers", MASK),
                new Field("gpc.refresh_lock", OWNER), new Field("kvm.mn_active_invalidate_count", COUNT),
                new Field("kvm.mmu_invalidate_seq", COUNT), new Field("kvm.mn_invalidate_lock", OWNER),
                new Field("kvm.gpc_lock", OWNER), new Field("kvm.mmu_lock", OWNER), new Field("wouldSleep", COUNT),
                new Field("eagain", BOOL), new Field("refreshLivelock", BOOL), new Field("snapshotted", GENS),
                new Field("invalidators done", COUNT), new Field("unmap round", BOOL), new Field("uffd.event", EVENT),
                new Field("defer: drains queued", COUNT), new Field("defer: acks queued", MASK), new Field("defer: mmu queued", COUNT),
                new Field("landed before their snapshot", GENS), new Field("stale, still visible", GENS), new Field("stale, lost", GENS),
                new Field("before their snapshot, not counted in it", GENS), new Field("an access through a torn-down view", BOOL),
                new Field("an access with a generation outside the round", BOOL), new Field("storm: unrelated invalidation running", BOOL),
                new Field("kvm.mmu_gpc_invalidate_range covers uhva", BOOL)));
        for (int r = 0; r < readers; r++) {
            String n = "r" + r + ".";
            fields.addAll(List.of(new Field(n + "pc", HIDDEN), new Field(n + "ipi.pc", HIDDEN), new Field(n + "accesses", COUNT),
                    new Field(n + "local.done", BOOL, true), new Field(n + "local.active", BOOL, true),
                    new Field(n + "local.valid", BOOL, true), new Field(n + "local.khva", MAPPING, true),
                    new Field(n + "local.generation", GENERATION, true), new Field(n + "local.seq unchanged", BOOL, true),
                    new Field(n + "local.mmu_seq", COUNT, true), new Field(n + "refreshRetries", COUNT, true),
                    new Field(n + "local.new_khva", MAPPING, true), new Field(n + "local.new_pfn", COUNT, true),
                    new Field(n + "local.old_khva", MAPPING, true), new Field(n + "synchronize_srcu.waitingFor", MASK, true),
                    new Field(n + "local.tearing", HIDDEN, true), new Field(n + "srcu", BOOL), new Field(n + "mode", Field.Kind.MODE),
                    new Field(n + "request", BOOL), new Field(n + "signal in flight", BOOL), new Field(n + "kicked", BOOL),
                    new Field(n + "unmapUse", COUNT), new Field(n + "T[other]", COUNT)));
            for (String q : new String[] {"T", "S", "C"}) {
                for (int d = 0; d < G; d++) fields.add(new Field(n + q + "[" + (d == 0 ? "g" : "g+" + d) + "]", COUNT));
            }
        }
        for (int a = firstOther; a < programs.size(); a++) {
            String n = programs.get(a).actor() + ".";
            fields.addAll(List.of(new Field(n + "pc", HIDDEN), new Field(n + "local.mmu_seq", COUNT, true),
                    new Field(n + "refreshRetries", COUNT, true), new Field(n + "local.new_khva", MAPPING, true),
                    new Field(n + "local.new_pfn", COUNT, true), new Field(n + "local.old_khva", MAPPING, true),
                    new Field(n + "synchronize_srcu.waitingFor", MASK, true), new Field(n + "local.tearing", HIDDEN, true),
                    new Field(n + "kicked readers", MASK, true)));
        }
        fuseScratch = new byte[fields.size()];
    }

    public GpcModelConfig config() { return cfg; }

    public List<Program> programs() { return Collections.unmodifiableList(programs); }

    @Override public List<Field> fields() { return fields; }

    /**
     * Field widths from their kinds: every count stays below 8 (saturated where it could grow), a
     * pc below 128. The oracle's quantities the configuration does not keep (the exact counts, or
     * the per-generation facts) take no bits: they stay 0.
     */
    @Override public int[] fieldBits() {
        int[] b = new int[fields.size()];
        int countBits = Math.max(3, 32 - Integer.numberOfLeadingZeros(Math.max(7, cfg.refreshBound() + 1)));
        for (int i = 0; i < b.length; i++) {
            b[i] = switch (fields.get(i).kind()) {
                case BOOL -> 1;
                case MODE, EVENT -> 2;
                case OWNER, FRAME, GENERATION, MAPPING -> 3;
                case GENS -> G;
                case COUNT -> countBits;
                case MASK, HIDDEN -> 8;
            };
        }
        for (int f = PRE; f <= OTHER_ANY; f++) if (counts) b[f] = 0;
        for (int r = 0; r < readers && !counts; r++) {
            for (int f = UNMAPUSE; f < PER_READER; f++) b[rb(r) + f] = 0;
        }
        // fields this configuration never sets (a step that did would be refused)
        boolean defer = Programs.defer(cfg), nb = cfg.nonblock();
        int[][] unused = {
            {guest ? -1 : R_IPIPC, guest ? -1 : R_MODE, guest ? -1 : REQ, guest ? -1 : PENDING, guest ? -1 : KICKED,
                srcu ? -1 : SRCU_IN, srcu ? -1 : R_SYNC, ws == Programs.WS_SEQ ? -1 : LSEQ, remapped ? -1 : R_NEWFRAME},
            {guest ? -1 : A_KICK, srcu ? -1 : A_SYNC, remapped ? -1 : A_NEWFRAME},
            {rt ? -1 : MN, rt ? -1 : GPCL, rt ? -1 : MMU, defer ? -1 : DQ_DRAIN, defer ? -1 : DQ_ACKS, defer ? -1 : DQ_MMU,
                cfg.protocol().usesUffd() ? -1 : EVT, cfg.unmapRounds() ? -1 : UNMAP_RD, nb ? -1 : EAGAIN, nb ? -1 : WOULD,
                wait ? -1 : NEEDS, alias ? -1 : TORN, remapped ? -1 : FRAME_AT, remapped ? -1 : PFN, cfg.variant().storm() ? -1 : STORM,
                cfg.variant().storm() ? -1 : RANGE_HIT}};
        for (int r = 0; r < readers; r++) for (int f : unused[0]) if (f >= 0) b[rb(r) + f] = 0;
        for (int a = firstOther; a < programs.size(); a++) for (int f : unused[1]) if (f >= 0) b[ab(a) + f] = 0;
        for (int f : unused[2]) if (f >= 0) b[f] = 0;
        return b;
    }

    private int rb(int r) { return SHARED + r * PER_READER; }

    private int ab(int a) { return SHARED + readers * PER_READER + (a - firstOther) * PER_ACTOR; }

    private int pcField(int actor) {
        if (actor < readers) return rb(actor) + R_PC;
        if (actor < firstOther) return rb(actor - ipiBase) + R_IPIPC;
        return ab(actor) + A_PC;
    }

    /** The cache is valid (generation g, its first mapping) when the round starts; with unmap rounds the round is either kind. */
    @Override public List<byte[]> initials() {
        byte[] s = new byte[fields.size()];
        s[ACTIVE] = 1;
        s[VALID] = 1;
        s[KHVA] = (byte) (alias ? 0 : UHVA);
        for (int r = 0; r < readers; r++) {
            s[rb(r) + LKHVA] = 0;
            s[rb(r) + R_TEAR] = NO_TEAR;
        }
        for (int a = firstOther; a < programs.size(); a++) s[ab(a) + A_TEAR] = NO_TEAR;
        if (!cfg.unmapRounds()) return List.of(s);
        byte[] u = s.clone();
        u[UNMAP_RD] = 1;
        return List.of(s, u);
    }

    @Override public String describeInitial(int index) {
        if (!cfg.unmapRounds()) return "";
        return index == 0 ? "a zap round" : "an unmap round (kvm_gpc_deactivate + activate first)";
    }

    @Override public int actors() { return programs.size(); }

    @Override public String actorName(int actor) { return programs.get(actor).actor(); }

    @Override public String role(int actor) { return programs.get(actor).role(); }

    @Override public boolean daemon(int actor) { return programs.get(actor).daemon(); }

    @Override public int pc(byte[] s, int actor) { return s[pcField(actor)]; }

    @Override public boolean done(byte[] s, int actor) { return s[pcField(actor)] >= programs.get(actor).size(); }

    @Override public Map<String, List<String>> instructions() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (Program p : programs) {
            if (m.containsKey(p.role())) continue;
            List<String> l = new ArrayList<>();
            for (Program.Instr i : p.code()) l.add(i.label(p.role()));
            m.put(p.role(), l);
        }
        return m;
    }

    @Override public void labels(boolean on) { labels = on; }

    /** The branch the last step took (0 next, 1 alt, 2 alt2, 3 alt3). */
    int lastBranch() { return branch; }

    // ------------------------------------------------------------------ steps

    @Override public String step(byte[] s, int actor, byte[] n) {
        if (isIpi(actor)) {
            branch = 0;
            return ipiStep(s, n, actor - ipiBase);
        }
        Program prog = programs.get(actor);
        int pcf = pcField(actor);
        int pc = s[pcf];
        Program.Instr in = prog.at(pc);
        Step st = new Step(s, n, actor, in, prog.next(pc));
        String label = actor < readers ? readerStep(st, actor) : otherStep(st, actor);
        if (label == null) return null;
        branch = st.branch;
        n[pcf] = (byte) st.next;
        executed[0] = pc;
        nExecuted = 1;
        boolean invisible = (in.arg() & Programs.INVISIBLE) != 0;
        // a fused instruction's step goes on into the instruction it led to (an atomic sequence
        // by Lipton's reduction: see Programs.FUSE), until one is blocked or not fused
        while (st.next < prog.size() && ((in.arg() & Programs.FUSE) != 0 || (prog.at(st.next).arg() & Programs.JOIN) != 0)) {
            pc = st.next;
            in = prog.at(pc);
            System.arraycopy(n, 0, fuseScratch, 0, n.length);
            Step f = new Step(fuseScratch, n, actor, in, prog.next(pc));
            String more = actor < readers ? readerStep(f, actor) : otherStep(f, actor);
            if (more == null) {
                if (invisible) return null; // steps nobody observes wait with the one they lead to
                System.arraycopy(fuseScratch, 0, n, 0, n.length); // blocked: the step ends before it
                break;
            }
            invisible &= (in.arg() & Programs.INVISIBLE) != 0;
            n[pcf] = (byte) f.next;
            executed[nExecuted++] = pc;
            if (labels) label = label + "; " + more;
            st = f;
        }
        return label;
    }

    private final int[] executed = new int[32];
    private int nExecuted;
    private byte[] fuseScratch;

    @Override public int executed(int[] into) {
        System.arraycopy(executed, 0, into, 0, nExecuted);
        return nExecuted;
    }

    /** One step's context: where it goes next, which branch it took. */
    private static final class Step {
        final byte[] s, n;
        final int actor, arg;
        final Program.Instr in;
        int next, branch;

        Step(byte[] s, byte[] n, int actor, Program.Instr in, int next) {
            this.s = s;
            this.n = n;
            this.actor = actor;
            this.in = in;
            this.arg = in.arg();
            this.next = next;
        }

        void alt() { next = target(in.alt(), "alt"); branch = 1; }

        void alt2() { next = target(in.alt2(), "alt2"); branch = 2; }

        void alt3() { next = target(in.alt3(), "alt3"); branch = 3; }

        /** A branch the program did not emit is a state the model's construction said cannot happen. */
        private int target(int t, String which) {
            if (t < 0) throw new IllegalStateException("model invariant: " + in.op() + " took its " + which
                    + " branch, which this configuration's program does not have (" + in.what() + ")");
            return t;
        }

        void skip() { next = next + 1; } // past the following instruction (a wait that is not needed)
    }

    private String readerStep(Step st, int r) {
        byte[] s = st.s, n = st.n;
        int b = rb(r), bit = 1 << r;
        Program.Instr in = st.in;
        switch (in.op()) {
            case LOAD_DONE -> {
                boolean ended = s[DONE] >= nInvalidators;
                // hardware readers keep accessing until one access starts after the end; the model
                // allows extraAccesses of them past K, then waits for the end (a finite state space);
                // a reader waiting so in guest mode still leaves it when kicked
                if (!ended && s[b + ACC] >= cfg.accesses() + cfg.extraAccesses() - 1) {
                    if (!guest || s[b + KICKED] == 0) return null;
                    st.alt();
                    return "kicked while waiting: leave guest mode";
                }
                n[b + DONE_AT] = (byte) (ended ? 1 : 0);
                return labels ? "access " + (s[b + ACC] + 1) + (ended ? ": the invalidations have ended" : ": they have not ended") : MOVED;
            }
            case RD_LOCK -> {
                if (s[RW_W] != 0 || s[RW_WANT] != 0) return null;
                n[RW_READERS] |= (byte) bit;
                return "read_lock";
            }
            case RD_UNLOCK -> {
                n[RW_READERS] &= (byte) ~bit;
                return endOrLabel(st, r, "read_unlock");
            }
            case SRCU_LOCK -> { n[b + SRCU_IN] = 1; return "srcu_read_lock"; }
            case SRCU_UNLOCK -> {
                srcuUnlock(n, r);
                return endOrLabel(st, r, "srcu_read_unlock");
            }
            case SEQ_BEGIN -> {
                if (s[SEQ] != 0) return null;
                n[b + LSEQ] = 1; // "unchanged since my begin": a write clears it

                return "read_seqcount_begin";
            }
            case RD_CHECK -> {
                if (s[RW_W] != 0 || s[RW_WANT] != 0) return null;
                n[RW_READERS] |= (byte) bit;
                if (s[ACTIVE] == 0 || s[VALID] == 0) {
                    st.alt();
                    return labels ? "read_lock; check: " + (s[ACTIVE] == 0 ? "not active" : "not valid") + " -> refresh" : MOVED;
                }
                loadValidCache(s, n, b);
                return "read_lock; check: valid, load khva";
            }
            case SEQ_CHECK -> {
                if (s[SEQ] != 0) return null;
                if (s[ACTIVE] == 0 || s[VALID] == 0) {
                    st.alt();
                    return labels ? "seqcount read: " + (s[ACTIVE] == 0 ? "not active" : "not valid") + " -> refresh" : MOVED;
                }
                loadValidCache(s, n, b);
                return "seqcount read: valid, khva";
            }
            case LD_ACTIVE -> {
                n[b + LACT] = s[ACTIVE];
                if (ws != Programs.WS_SEQ && s[ACTIVE] == 0) { st.alt(); return "check: active == false -> refresh"; }
                return "check: load active";
            }
            case LD_VALID -> {
                n[b + LVALID] = s[VALID];
                if (ws != Programs.WS_SEQ && s[VALID] == 0) { st.alt(); return "check: valid == false -> refresh"; }
                return "check: load valid";
            }
            case LD_KHVA -> {
                n[b + LKHVA] = s[KHVA];
                n[b + LGEN] = s[GEN];
                return "check: load khva";
            }
            case SEQ_RETRY -> {
                if (s[b + LSEQ] == 0) { st.alt(); return "read_seqcount_retry: changed, retry"; }
                if (s[b + LACT] == 0 || s[b + LVALID] == 0) { st.alt2(); return "read_seqcount_retry: ok; not valid -> refresh"; }
                return "read_seqcount_retry: ok, valid";
            }
            case ACCESS -> {
                access(s, n, r);
                if ((st.arg & Programs.UNLOCK) != 0) n[RW_READERS] &= (byte) ~bit;
                if ((st.arg & Programs.END_ACC) == 0) return "access";
                return endAccess(st, r, guest ? "access in guest mode" : "access");
            }
            case GUEST_ENTER -> {
                n[b + KICKED] = 0;
                if (s[b + REQ] != 0) {
                    n[b + REQ] = 0;
                    n[b + R_MODE] = 0;
                    st.alt();
                    return "mode = IN_GUEST_MODE; a request is pending: entry cancelled";
                }
                n[b + R_MODE] = 1;
                return "mode = IN_GUEST_MODE";
            }
            case GUEST_KICKED -> {
                if (s[b + KICKED] != 0) { st.alt(); return "kicked: leave guest mode"; }
                return "in guest mode, not kicked";
            }
            case GUEST_EXIT -> {
                n[b + R_MODE] = 0;
                n[b + REQ] = 0;
                n[b + KICKED] = 0;
                clearLocals(n, b);
                return (st.arg & Programs.END_ACC) != 0 ? "mode = OUTSIDE_GUEST_MODE; done" : "mode = OUTSIDE_GUEST_MODE (acknowledged)";
            }
            default -> { return commonStep(st, r, b); }
        }
    }

    /** The steps readers and the other actors share: the refresh and the write side. */
    private String commonStep(Step st, int a, int b) {
        byte[] s = st.s, n = st.n;
        int me = ownerOf[a];
        boolean isReader = a < readers;
        int mseq = isReader ? b + R_MSEQ : b + A_MSEQ, retries = isReader ? b + R_RETRIES : b + A_RETRIES,
                newmap = isReader ? b + R_NEWMAP : b + A_NEWMAP, newframe = isReader ? b + R_NEWFRAME : b + A_NEWFRAME,
                oldmap = isReader ? b + R_OLDMAP : b + A_OLDMAP, sync = isReader ? b + R_SYNC : b + A_SYNC,
                tear = isReader ? b + R_TEAR : b + A_TEAR;
        switch (st.in.op()) {
            case RF_MUTEX -> {
                if (s[REFRESH] != 0) return null;
                n[REFRESH] = (byte) me;
                return "mutex_lock(refresh_lock)";
            }
            case W_ACQ -> {
                if (ws == Programs.WS_SEQ) {
                    if (s[RW_W] != 0) return null;
                    n[RW_W] = (byte) me;
                    seqOpen(n, true);
                    return "write_seqlock";
                }
                if (s[RW_W] != 0 || s[RW_WANT] != 0) return null;
                if ((s[RW_READERS] & 0xff) == 0) {
                    n[RW_W] = (byte) me;
                    return "write_lock";
                }
                n[RW_WANT] = (byte) me;
                st.alt();
                return labels ? "write_lock: announced, waits for readers " + mask(s[RW_READERS]) : MOVED;
            }
            case W_DRAIN -> {
                if (s[RW_READERS] != 0) return null;
                n[RW_W] = (byte) me;
                n[RW_WANT] = 0;
                return "write_lock: readers drained";
            }
            case W_REL -> {
                releaseWriteSide(n);
                return "write_unlock";
            }
            case RF_ENTER -> {
                if (s[ACTIVE] == 0) {
                    releaseWriteSide(n);
                    st.alt2();
                    return labels ? "refresh: not active: -EINVAL; " + unlockName() : MOVED;
                }
                if (s[VALID] != 0) {
                    releaseWriteSide(n);
                    st.alt();
                    return labels ? "refresh: valid again; " + unlockName() : MOVED;
                }
                if ((st.arg & Programs.NO_PUBLISH) != 0) {
                    throw new IllegalStateException("model invariant: a pinned reader's refresh found the cache active and invalid");
                }
                n[VALID] = 0;
                n[oldmap] = s[KHVA];
                if (wait) n[NEEDS] = 1;
                else n[mseq] = s[ISEQ];
                releaseWriteSide(n);
                return labels ? wait ? "refresh: needs_invalidation = true; " + unlockName() : "refresh: mmu_seq = mmu_invalidate_seq; " + unlockName() : MOVED;
            }
            case RF_FAULT -> {
                n[newframe] = s[FRAME_AT];
                if (!alias) n[newmap] = UHVA;
                else if (s[FRAME_AT] == s[PFN] && s[KHVA] != NULL_MAP) n[newmap] = s[KHVA];
                else n[newmap] = (byte) Math.min(s[GEN] + 1, UHVA - 1);
                return labels ? "hva_to_pfn: frame " + s[FRAME_AT] + (alias ? ", gpc_map" : "") : MOVED;
            }
            case RF_WAITINV -> {
                if (pending(s)) return null;
                return "gpc_wait_for_invalidations: none pending";
            }
            case RF_WAIT_LOCK -> {
                if (s[MN] != 0) return null;
                n[MN] = (byte) me;
                return "spin_lock(&kvm->mn_invalidate_lock)";
            }
            case RF_WAIT_CHECK -> {
                n[MN] = 0;
                if (pending(s)) { st.alt(); return "invalidation pending: spin_unlock, sleep"; }
                return "none pending: spin_unlock";
            }
            case RF_CHECK -> {
                // mainline: mmu_notifier_retry_cache sees every invalidation in mn_active_invalidate_count,
                // the storm's too; the wait variant only whether one cleared needs_invalidation
                boolean retry = wait ? s[NEEDS] == 0 : (s[MNC] != 0 || s[STORM] != 0 || s[ISEQ] != s[mseq]);
                if (retry) {
                    int rt2 = Math.min(s[retries] + 1, cfg.refreshBound() + 1);
                    n[retries] = (byte) rt2;
                    if (rt2 > cfg.refreshBound()) n[LIVELOCK] = 1;
                    if (wait) n[NEEDS] = 1;
                    else n[mseq] = s[ISEQ];
                    releaseWriteSide(n);
                    st.alt();
                    return "refresh: " + (wait ? "needs_invalidation was cleared" : s[MNC] != 0 ? "an invalidation is running"
                            : s[STORM] != 0 ? "an unrelated invalidation is running"
                            : "mmu_invalidate_seq moved") + ": retry; " + unlockName();
                }
                n[VALID] = 1;
                n[GEN] = (byte) (s[GEN] + 1);
                n[KHVA] = s[newmap];
                n[PFN] = s[newframe];
                releaseWriteSide(n);
                return labels ? "refresh: publish valid, generation g+" + (s[GEN] + 1) + "; " + unlockName() : MOVED;
            }
            case RF_RETRY -> { return "refresh: cond_resched, go round"; }
            case RF_UNMAP, UNMAP -> {
                int old = s[oldmap];
                // gpc_unmap of a published khva: the SRCU protocols synchronize whatever khva is; a
                // view of our own (not the user address) is then torn down
                boolean unmapping = old != NULL_MAP && old != s[KHVA];
                boolean tears = unmapping && old != UHVA;
                boolean syncWaitNext = st.in.alt() < 0; // the SRCU protocols' wait follows
                int inside = srcu ? srcuReaders(s) : 0;
                if (unmapping && inside != 0) {
                    if (!syncWaitNext) throw new IllegalStateException("model invariant: gpc_unmap found an SRCU reader inside,"
                            + " which this configuration's program does not wait for");
                    n[sync] = (byte) inside;
                    n[tear] = (byte) (tears ? old : NO_TEAR);
                    return labels ? "gpc_unmap: synchronize_srcu waits for readers " + mask(inside) : MOVED;
                }
                if (tears) n[TORN] |= (byte) (1 << old);
                if (syncWaitNext) st.skip();
                else st.alt();
                return tears ? "gpc_unmap: view" + old + " torn down" + (srcu ? " (no SRCU reader inside)" : "")
                        : unmapping && srcu ? "gpc_unmap: synchronize_srcu: no reader inside" : "gpc_unmap: no mapping to tear down";
            }
            case SYNC_WAIT -> {
                if (s[sync] != 0) return null;
                if (s[tear] != NO_TEAR) {
                    n[TORN] |= (byte) (1 << s[tear]);
                    n[tear] = NO_TEAR;
                    return "synchronize_srcu returns; view torn down";
                }
                return "synchronize_srcu returns";
            }
            case RF_MUTEX_UNLOCK -> {
                n[REFRESH] = 0;
                n[mseq] = 0;
                n[retries] = 0;
                n[newmap] = 0;
                n[newframe] = 0;
                n[oldmap] = 0;
                return "mutex_unlock(refresh_lock)";
            }
            default -> throw new IllegalStateException(programs.get(a).actor() + " cannot take " + st.in.op());
        }
    }

    /**
     * gpc_invalidations_pending (the range-aware wait): an invalidation is running and the union of
     * the running ranges, kept until the count drops to 0, covers uhva. The storm's range does not,
     * but once a relevant one ran the union covers it until every one has ended.
     */
    private boolean pending(byte[] s) { return s[MNC] != 0 || (s[STORM] != 0 && s[RANGE_HIT] != 0); }

    private String unlockName() {
        return switch (ws) { case Programs.WS_RWLOCK -> "write_unlock"; case Programs.WS_SEQ -> "write_sequnlock"; default -> "(no lock)"; };
    }

    /**
     * A seqcount write (begin or end). The count itself only matters through read_seqcount_retry's
     * "changed since my begin" and the parity, so that is what the state keeps: a reader's local.seq
     * is 1 from its begin until any write, and gpc.seqcount is 1 while a write section is open (a
     * refresh's retry loop would otherwise grow the count without bound).
     */
    private void seqWrite(byte[] n) {
        for (int r = 0; r < readers; r++) n[rb(r) + LSEQ] = 0;
    }

    private void seqOpen(byte[] n, boolean open) {
        n[SEQ] = (byte) (open ? 1 : 0);
        seqWrite(n);
    }

    private void releaseWriteSide(byte[] n) {
        if (ws == Programs.WS_SEQ) seqOpen(n, false);
        if (ws != Programs.WS_NONE) n[RW_W] = 0;
    }

    /** A step of the notifier path that found its primitive busy: EAGAIN first (true), or would-sleep and wait (false). */
    private boolean busy(Step st, boolean sleeping) {
        boolean blocking = (st.arg & Programs.BLOCKING) != 0 || !cfg.nonblock() || !isInvalidator(st.actor);
        if (blocking || !sleeping) return false;
        boolean end = (st.arg & Programs.END) != 0;
        if (cfg.policy() == NonblockPolicy.EAGAIN && !end) return true;
        boolean raw = cfg.policy() == NonblockPolicy.DEFER && !end;
        if (!raw) st.n[WOULD] = (byte) Math.min(st.s[WOULD] + 1, CAP);
        return false;
    }

    private boolean isInvalidator(int a) { return a >= firstOther && a < firstOther + nInvalidators && a != madvise; }

    private int lockField(int lock) {
        return switch (lock) { case Programs.L_MN -> MN; case Programs.L_GPC -> GPCL; case Programs.L_MMU -> MMU; default -> RW_W; };
    }

    /** Every lock of the notifier path sleeps under PREEMPT_RT (and the rwlock kind decides gpc->lock's). */
    private boolean lockSleeps(int lock) { return rt; }

    private String lockName(int lock) {
        return switch (lock) {
            case Programs.L_MN -> "mn_invalidate_lock";
            case Programs.L_GPC -> "gpc_lock";
            case Programs.L_MMU -> "mmu_lock";
            default -> "the seqlock's lock";
        };
    }

    private String otherStep(Step st, int a) {
        byte[] s = st.s, n = st.n;
        int b = ab(a), me = ownerOf[a];
        int lock = st.arg & 15;
        switch (st.in.op()) {
            case UNMAP_ROUND -> {
                if (s[UNMAP_RD] != 0) return "an unmap round";
                st.alt();
                return "a zap round";
            }
            case LOCK_ACQ -> {
                int f = lockField(lock);
                if (s[f] == 0) {
                    n[f] = (byte) me;
                    return labels ? "lock " + lockName(lock) : MOVED;
                }
                if (busy(st, lockSleeps(lock))) { st.alt2(); return labels ? lockName(lock) + " held: return -EAGAIN first" : MOVED; }
                st.alt();
                return lockName(lock) + " held: " + (cfg.nonblock() && lockSleeps(lock) && (st.arg & Programs.BLOCKING) == 0
                        ? "would sleep, " : "") + "waits";
            }
            case LOCK_WAIT -> {
                int f = lockField(lock);
                if (s[f] != 0) return null;
                n[f] = (byte) me;
                return labels ? "lock " + lockName(lock) + " (after waiting)" : MOVED;
            }
            case LOCK_REL -> {
                n[lockField(lock)] = 0;
                return labels ? "unlock " + lockName(lock) : MOVED;
            }
            case COUNT_INC -> {
                n[MNC] = (byte) (s[MNC] + 1);
                if (storm) n[RANGE_HIT] = 1;
                if (lock == Programs.L_MN) n[MN] = 0;
                return labels ? "mn_active_invalidate_count++" : MOVED;
            }
            case COUNT_DEC -> {
                n[MNC] = (byte) (s[MNC] - 1);
                if (storm && n[MNC] == 0 && s[STORM] == 0) n[RANGE_HIT] = 0;
                if (lock == Programs.L_MN) n[MN] = 0;
                if ((st.arg & Programs.EAGAIN_UNDO) != 0) return "undo: mn_active_invalidate_count--";
                return "mn_active_invalidate_count--";
            }
            case EAGAIN_EXIT -> {
                n[EAGAIN] = 1;
                return "return -EAGAIN: no zap";
            }
            case IV_RLOCK -> {
                if (s[RW_W] != 0 || s[RW_WANT] != 0) {
                    if (busy(st, cfg.lock() == LockKind.SLEEPING)) { st.alt2(); return "read_lock: a writer: return -EAGAIN first"; }
                    st.alt();
                    return "read_lock: a writer: waits";
                }
                n[RW_READERS] |= (byte) otherBit(a);
                return "read_lock";
            }
            case IV_RLOCK_WAIT -> {
                if (s[RW_W] != 0 || s[RW_WANT] != 0) return null;
                n[RW_READERS] |= (byte) otherBit(a);
                return "read_lock (after waiting)";
            }
            case IV_RCHECK -> {
                n[RW_READERS] &= (byte) ~otherBit(a);
                if (s[VALID] != 0 || s[NEEDS] != 0) return "valid: read_unlock";
                st.alt();
                return "not valid: read_unlock, nothing to do";
            }
            case IV_WACQ -> {
                boolean sleeping = cfg.lock() == LockKind.SLEEPING;
                if (s[RW_W] != 0 || s[RW_WANT] != 0) {
                    if (busy(st, sleeping)) { st.alt2(); return "write_lock: a writer: return -EAGAIN first"; }
                    st.alt3();
                    return labels ? "write_lock: a writer: " + (cfg.nonblock() && sleeping ? "would sleep, " : "") + "waits" : MOVED;
                }
                if ((s[RW_READERS] & 0xff) == 0) {
                    n[RW_W] = (byte) me;
                    return "write_lock";
                }
                if (busy(st, sleeping)) { st.alt2(); return "write_lock: readers inside: return -EAGAIN first"; }
                n[RW_WANT] = (byte) me;
                st.alt();
                return labels ? "write_lock: readers " + mask(s[RW_READERS]) + " inside: " + (cfg.nonblock() && sleeping ? "would sleep, " : "") + "waits" : MOVED;
            }
            case IV_WWAIT -> {
                if (s[RW_W] != 0 || s[RW_WANT] != 0) return null;
                if ((s[RW_READERS] & 0xff) == 0) {
                    n[RW_W] = (byte) me;
                    return "write_lock (after the other writer)";
                }
                n[RW_WANT] = (byte) me;
                st.alt();
                return "write_lock: announced, waits for readers";
            }
            case IV_WDRAIN -> {
                if (s[RW_READERS] != 0) return null;
                n[RW_W] = (byte) me;
                n[RW_WANT] = 0;
                return "write_lock: readers drained";
            }
            case IV_CLEAR -> {
                n[VALID] = 0;
                n[NEEDS] = 0;
                if (ws == Programs.WS_SEQ) seqWrite(n); // write_seqcount_begin and _end in one step: parity unchanged
                if (ws != Programs.WS_NONE) n[RW_W] = 0;
                return switch (ws) {
                    case Programs.WS_RWLOCK -> "valid = false; write_unlock";
                    case Programs.WS_SEQ -> "write_seqcount_begin; valid = false; write_sequnlock";
                    default -> "valid = false";
                };
            }
            case IV_SYNC -> {
                int inside = srcuReaders(s);
                if (inside == 0) { st.alt(); return "synchronize_srcu: no reader inside"; }
                if (busy(st, true)) { st.alt2(); return "synchronize_srcu would wait: return -EAGAIN first"; }
                n[b + A_SYNC] = (byte) inside;
                return "synchronize_srcu: waits for readers " + mask(inside)
                        + (cfg.nonblock() && (st.arg & Programs.BLOCKING) == 0 ? " (would sleep)" : "");
            }
            case IV_MARK -> {
                if (cfg.protocol() == Protocol.PINNED) {
                    n[DQ_MMU] = (byte) Math.min(s[DQ_MMU] + 1, CAP);
                    return "defer: kvm_unmap_gfn_range queued (a pinned cache keeps its pin)";
                }
                n[VALID] = 0;
                n[NEEDS] = 0;
                if (Programs.hasDrain(cfg.protocol())) n[DQ_DRAIN] = (byte) Math.min(s[DQ_DRAIN] + 1, CAP);
                if (rt) n[DQ_MMU] = (byte) Math.min(s[DQ_MMU] + 1, CAP);
                return "defer: valid = false; the rest queued";
            }
            case EVICT -> {
                int kicked = 0;
                for (int r = 0; r < readers; r++) {
                    int rb = rb(r);
                    n[rb + REQ] = 1;
                    if (s[rb + R_MODE] == 1) {
                        n[rb + R_MODE] = 2;
                        n[rb + PENDING] = 1;
                        kicked |= 1 << r;
                    } else if (s[rb + R_MODE] == 2) {
                        kicked |= 1 << r; // kicked by another invalidation, not out yet: waited for too
                    }
                }
                n[b + A_KICK] = (byte) kicked;
                if (kicked == 0) { st.alt(); return "KVM_REQ_OUTSIDE_GUEST_MODE: nobody in guest mode"; }
                return labels ? "KVM_REQ_OUTSIDE_GUEST_MODE: kick " + mask(kicked) : MOVED;
            }
            case ACKS -> {
                int kicked = s[b + A_KICK];
                boolean blocking = (st.arg & Programs.BLOCKING) != 0 || !cfg.nonblock();
                if (!blocking && cfg.policy() == NonblockPolicy.NO_WAIT) { n[b + A_KICK] = 0; return "no KVM_REQUEST_WAIT: do not wait"; }
                if (!blocking && cfg.policy() == NonblockPolicy.EAGAIN) { n[b + A_KICK] = 0; st.alt2(); return "readers needed kicking: -EAGAIN"; }
                if (!blocking && cfg.policy() == NonblockPolicy.DEFER) {
                    n[DQ_ACKS] |= (byte) kicked;
                    n[b + A_KICK] = 0;
                    return "defer: the wait for the kicked readers queued";
                }
                for (int r = 0; r < readers; r++) if ((kicked & (1 << r)) != 0 && s[rb(r) + R_MODE] == 2) return null;
                n[b + A_KICK] = 0;
                return "the kicked readers left guest mode";
            }
            case SNAPSHOT -> {
                int d = s[GEN];
                if (d < G && (s[SNAP] & (1 << d)) == 0) {
                    n[SNAP] |= (byte) (1 << d);
                    if (!counts) {
                        // what landed is in S (not stale); what S does not count is stale and lost
                        n[PRE] &= (byte) ~(1 << d);
                        if ((s[UNCOUNTED] & (1 << d)) != 0) n[LOST] |= (byte) (1 << d);
                        n[UNCOUNTED] &= (byte) ~(1 << d);
                    }
                    for (int r = 0; r < readers && counts; r++) n[rb(r) + S0 + d] = s[rb(r) + V0 + d];
                    return labels ? "S[" + (d == 0 ? "g" : "g+" + d) + "] = counters" : MOVED;
                }
                return "S already taken";
            }
            case ZAP, ZAP_AFTER_READ -> {
                if (st.in.op() == Op.ZAP_AFTER_READ && s[EVT] != 2) return null;
                if (remapped) n[FRAME_AT] = (byte) (s[FRAME_AT] + 1);
                if (handoverAtZap) clearVisible(n);
                return labels ? remapped ? "zap: the guest address maps frame " + (s[FRAME_AT] + 1) : handoverAtZap ? "zap: a new zeroed frame" : "zap (content kept)" : MOVED;
            }
            case RESET -> {
                clearVisible(n);
                return "counters reset by the new owner";
            }
            case SEQ_INC -> {
                n[ISEQ] = (byte) (s[ISEQ] + 1);
                if (lock == Programs.L_MMU) n[MMU] = 0;
                return labels ? "mmu_invalidate_seq++" : MOVED;
            }
            case END_HOOK -> {
                if (s[NEEDS] != 0) return "end hook: needs_invalidation set";
                st.alt();
                return "end hook: nothing in flight";
            }
            case DEACTIVATE -> {
                n[ACTIVE] = 0;
                n[VALID] = 0;
                n[NEEDS] = 0;
                n[b + A_OLDMAP] = s[KHVA];
                n[KHVA] = NULL_MAP;
                releaseWriteSide(n);
                return labels ? "deactivate: active = valid = false, khva = NULL; " + unlockName() : MOVED;
            }
            case ACTIVATE -> {
                n[ACTIVE] = 1;
                releaseWriteSide(n);
                return labels ? "activate: active = true; " + unlockName() : MOVED;
            }
            case INV_DONE -> {
                boolean last = s[DONE] + 1 >= nInvalidators;
                if (last && worker >= 0 && (s[DQ_DRAIN] != 0 || s[DQ_ACKS] != 0 || s[DQ_MMU] != 0 || s[pcField(worker)] != 0)) return null;
                n[DONE] = (byte) (s[DONE] + 1);
                return last ? "the invalidations have ended" : "my invalidations are over";
            }
            case STORM_START -> {
                if (rt && s[MN] != 0) return null; // PREEMPT_RT: mn_invalidate_lock sleeps; the storm may wait
                n[STORM] = 1;
                return "storm: mn_active_invalidate_count++ (an unrelated range)";
            }
            case STORM_END -> {
                if (rt && s[MN] != 0) return null;
                n[STORM] = 0;
                if (s[MNC] == 0) n[RANGE_HIT] = 0;
                return "storm: mn_active_invalidate_count--";
            }
            case POST_EVENT -> { n[EVT] = 1; return "madvise: UFFD_EVENT_REMOVE queued, waits"; }
            case POLL_EVENT -> {
                if (s[EVT] != 1) return null;
                n[MNC] = (byte) (s[MNC] + 1);
                return labels ? "poll: event pending; mn_active_invalidate_count++" : MOVED;
            }
            case READ_EVENT -> { n[EVT] = 2; return "read event: madvise may zap"; }
            case WAIT_MADVISE -> { return done(s, madvise) ? "madvise returned" : null; }
            case UFFD_END -> {
                n[ISEQ] = (byte) (s[ISEQ] + 1);
                n[MNC] = (byte) (s[MNC] - 1);
                return labels ? "mmu_invalidate_seq++, mn_active_invalidate_count--" : MOVED;
            }
            case WORK -> {
                if (s[DQ_DRAIN] != 0) {
                    n[DQ_DRAIN] = (byte) (s[DQ_DRAIN] - 1);
                    if (ws != Programs.WS_RWLOCK) st.alt();
                    return "the deferred drain";
                }
                if (s[DQ_ACKS] != 0) {
                    n[b + A_KICK] = s[DQ_ACKS];
                    n[DQ_ACKS] = 0;
                    st.alt2();
                    return "the deferred wait for kicked readers";
                }
                if (s[DQ_MMU] != 0) {
                    n[DQ_MMU] = (byte) (s[DQ_MMU] - 1);
                    st.alt3();
                    return "the deferred kvm_unmap_gfn_range";
                }
                return null;
            }
            case IPI -> throw new IllegalStateException("IPI is a reader's daemon");
            default -> { return commonStep(st, a, b); }
        }
    }

    /** A kick's signal in flight for reader r (its ipi daemon). */
    private String ipiStep(byte[] s, byte[] n, int r) {
        int b = rb(r);
        if (s[b + PENDING] == 0) return null;
        n[b + PENDING] = 0;
        n[b + KICKED] = 1;
        return "signal delivered: the handler notes the kick";
    }

    private int otherBit(int a) { return 1 << (RBIT_OTHER + Math.min(a - firstOther, 3)); }

    /**
     * One access: T of its generation; the counter in the frame its khva reaches, unless that
     * mapping is gone. Without exact counts, what the oracle will make of it: after its
     * generation's snapshot it is stale, visible while it stays (lost if wiped later), lost at once
     * through a torn-down view; before the snapshot it lands (S will count it, until a reset wipes
     * it) or, through a torn-down view, S will never count it.
     */
    private void access(byte[] s, byte[] n, int r) {
        int b = rb(r), d = s[b + LGEN], m = s[b + LKHVA];
        boolean gone = m == NULL_MAP || (m != UHVA && (s[TORN] & (1 << m)) != 0);
        if (!counts) {
            if (d >= G) { n[OTHER_ANY] = 1; return; }
            int bit = 1 << d;
            boolean snapped = (s[SNAP] & bit) != 0;
            if (gone) {
                n[UNMAP_ANY] = 1;
                if (snapped) n[LOST] |= (byte) bit;
                else n[UNCOUNTED] |= (byte) bit;
            } else if (snapped) n[POSTVIS] |= (byte) bit;
            else n[PRE] |= (byte) bit;
            return;
        }
        if (d >= G) {
            n[b + OTHER] = (byte) Math.min(s[b + OTHER] + 1, CAP);
            return;
        }
        n[b + T0 + d] = (byte) (s[b + T0 + d] + 1);
        if (gone) n[b + UNMAPUSE] = (byte) Math.min(s[b + UNMAPUSE] + 1, CAP);
        else n[b + V0 + d] = (byte) (s[b + V0 + d] + 1);
    }

    /** The step that ends an access: after K, the reader stops at the first access that began after the end. */
    private String endOrLabel(Step st, int r, String label) {
        return (st.arg & Programs.END_ACC) != 0 ? endAccess(st, r, label) : label;
    }

    private String endAccess(Step st, int r, String label) {
        int b = rb(r);
        byte[] n = st.n;
        n[b + ACC] = (byte) (st.s[b + ACC] + 1);
        boolean last = n[b + ACC] >= cfg.accesses() && st.s[b + DONE_AT] != 0;
        if (guest) {
            if (last) st.alt();
            n[b + DONE_AT] = 0;
            return label;
        }
        clearLocals(n, b);
        st.next = last ? programs.get(r).size() : 0;
        return label;
    }

    /** Locals are dead between accesses: clearing them lets equal states hash equal. */
    private void clearLocals(byte[] n, int b) {
        n[b + LACT] = 0;
        n[b + LVALID] = 0;
        n[b + LKHVA] = 0;
        n[b + LGEN] = 0;
        n[b + LSEQ] = 0;
        n[b + DONE_AT] = 0;
    }

    /**
     * A new owner's takeover wipes the counters: stale ones still visible become lost, landed ones
     * of a generation not yet snapshotted will not be in its S.
     */
    private void clearVisible(byte[] n) {
        if (!counts) {
            n[LOST] |= n[POSTVIS];
            n[UNCOUNTED] |= n[PRE];
            n[POSTVIS] = 0;
            n[PRE] = 0;
            return;
        }
        for (int r = 0; r < readers; r++) for (int d = 0; d < G; d++) n[rb(r) + V0 + d] = 0;
    }

    private void srcuUnlock(byte[] n, int r) {
        n[rb(r) + SRCU_IN] = 0;
        byte clear = (byte) ~(1 << r);
        for (int q = 0; q < readers; q++) n[rb(q) + R_SYNC] &= clear;
        for (int a = firstOther; a < programs.size(); a++) n[ab(a) + A_SYNC] &= clear;
    }

    private int srcuReaders(byte[] s) {
        int m = 0;
        for (int r = 0; r < readers; r++) if (s[rb(r) + SRCU_IN] != 0) m |= 1 << r;
        return m;
    }

    /** A check that found the cache active and valid: the reader's locals take khva and its generation. */
    private static void loadValidCache(byte[] s, byte[] n, int b) {
        n[b + LACT] = 1;
        n[b + LVALID] = 1;
        n[b + LKHVA] = s[KHVA];
        n[b + LGEN] = s[GEN];
    }

    private static String mask(int v) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < 8; i++) if ((v & (1 << i)) != 0) sb.append(sb.length() > 1 ? "," : "").append(i < RBIT_OTHER ? "r" + i : "inv");
        return sb.append('}').toString();
    }

    // ------------------------------------------------------------------ symmetry

    /**
     * Identical readers: the state with the readers renumbered so their blocks (with what the
     * shared fields say about each: read lock, lock owner, queued acks, the waits on it) come in
     * ascending order. Every reference to a reader (owner values r + 1, reader bit masks) is
     * renumbered alike, so the result is a reachable state of the same class.
     */
    @Override public void canonical(byte[] s, byte[] out) {
        System.arraycopy(s, 0, out, 0, s.length);
        if (readers < 2) return;
        int[] order = orderScratch;
        for (int r = 0; r < readers; r++) order[r] = r;
        for (int i = 1; i < readers; i++) { // insertion sort: three readers at most
            int x = order[i], j = i - 1;
            while (j >= 0 && compareReaders(s, order[j], x) > 0) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = x;
        }
        boolean identity = true;
        for (int r = 0; r < readers; r++) identity &= order[r] == r;
        if (identity) return;
        int[] newOf = newOfScratch;
        for (int i = 0; i < readers; i++) newOf[order[i]] = i;
        for (int i = 0; i < readers; i++) System.arraycopy(s, rb(order[i]), out, rb(i), PER_READER);
        for (int f : OWNER_FIELDS) {
            int v = s[f];
            if (v >= 1 && v <= readers) out[f] = (byte) (newOf[v - 1] + 1);
        }
        out[RW_READERS] = (byte) permuteMask(s[RW_READERS], newOf);
        out[DQ_ACKS] = (byte) permuteMask(s[DQ_ACKS], newOf);
        for (int i = 0; i < readers; i++) out[rb(i) + R_SYNC] = (byte) permuteMask(out[rb(i) + R_SYNC], newOf);
        for (int a = firstOther; a < programs.size(); a++) {
            out[ab(a) + A_SYNC] = (byte) permuteMask(s[ab(a) + A_SYNC], newOf);
            out[ab(a) + A_KICK] = (byte) permuteMask(s[ab(a) + A_KICK], newOf);
        }
    }

    private static final int[] OWNER_FIELDS = {RW_W, RW_WANT, REFRESH, MN};
    private final int[] orderScratch = new int[8], newOfScratch = new int[8];

    private int permuteMask(int m, int[] newOf) {
        int out = m & ~((1 << readers) - 1);
        for (int r = 0; r < readers; r++) if ((m & (1 << r)) != 0) out |= 1 << newOf[r];
        return out;
    }

    private int compareReaders(byte[] s, int x, int y) {
        int c = java.util.Arrays.compare(s, rb(x), rb(x) + PER_READER, s, rb(y), rb(y) + PER_READER);
        if (c != 0) return c;
        return Integer.compare(readerFacts(s, x), readerFacts(s, y));
    }

    /** What the shared fields say about reader r, for the order of readers whose blocks are equal. */
    private int readerFacts(byte[] s, int r) {
        int bit = 1 << r, f = 0;
        if ((s[RW_READERS] & bit) != 0) f |= 1;
        if ((s[DQ_ACKS] & bit) != 0) f |= 2;
        if (s[RW_W] == r + 1) f |= 4;
        if (s[RW_WANT] == r + 1) f |= 8;
        if (s[REFRESH] == r + 1) f |= 16;
        if (s[MN] == r + 1) f |= 32;
        int k = 6;
        for (int q = 0; q < readers; q++) if ((s[rb(q) + R_SYNC] & bit) != 0) f |= 1 << k++;
        for (int a = firstOther; a < programs.size(); a++) {
            if ((s[ab(a) + A_SYNC] & bit) != 0) f |= 1 << k;
            k++;
            if ((s[ab(a) + A_KICK] & bit) != 0) f |= 1 << k;
            k++;
        }
        return f;
    }

    // ------------------------------------------------------------------ outcomes

    /**
     * The final state judged by {@link Oracle#classify}. Without exact counts the per-generation
     * facts stand for one reader's quantities: a snapshotted generation with a stale visible access
     * has T = 1 + lost, S = 0, C = 1; the last generation, never snapshotted, has T = 1, C = 0 if
     * an access of it was not counted (which the oracle calls a harness inconsistency).
     */
    @Override public Set<String> outcomes(byte[] s, boolean deadlock) {
        EnumSet<GpcOutcome> out = Oracle.classify(counts ? exactRound(s) : factRound(s)).outcomes;
        if (deadlock) {
            out.remove(GpcOutcome.CLEAN);
            out.add(GpcOutcome.HANG);
        }
        Set<String> ids = new LinkedHashSet<>();
        for (GpcOutcome o : out) ids.add(o.id());
        return ids;
    }

    private Oracle.Round factRound(byte[] s) {
        long[] snap = new long[G], t = new long[G], c = new long[G];
        for (int d = 0; d < G; d++) {
            int bit = 1 << d;
            boolean vis = (s[POSTVIS] & bit) != 0, lost = (s[LOST] & bit) != 0;
            if ((s[SNAP] & bit) != 0) {
                t[d] = (vis ? 1 : 0) + (lost ? 1 : 0);
                c[d] = vis ? 1 : 0;
            } else if ((s[UNCOUNTED] & bit) != 0) {
                t[d] = 1;
            }
        }
        return new Oracle.Round(1, s[SNAP], s[GEN], snap, t, new long[] {s[OTHER_ANY]}, c, new long[] {s[UNMAP_ANY]}, s[WOULD],
                s[EAGAIN] != 0, s[LIVELOCK] != 0, false);
    }

    private Oracle.Round exactRound(byte[] s) {
        long[] snap = new long[readers * G], t = new long[readers * G], c = new long[readers * G];
        long[] other = new long[readers], unmap = new long[readers];
        for (int r = 0; r < readers; r++) {
            int b = rb(r);
            for (int d = 0; d < G; d++) {
                snap[r * G + d] = s[b + S0 + d];
                t[r * G + d] = s[b + T0 + d];
                c[r * G + d] = s[b + V0 + d];
            }
            other[r] = s[b + OTHER];
            unmap[r] = s[b + UNMAPUSE];
        }
        return new Oracle.Round(readers, s[SNAP], s[GEN], snap, t, other, c, unmap, s[WOULD], s[EAGAIN] != 0, s[LIVELOCK] != 0, false);
    }

    /** The step of reader r's ipi daemon, dispatched here because its pc lives in the reader's block. */
    String ipiOrNull(byte[] s, int actor, byte[] n) { return ipiStep(s, n, actor - ipiBase); }

    boolean isIpi(int actor) { return actor >= ipiBase && actor < firstOther; }
}
