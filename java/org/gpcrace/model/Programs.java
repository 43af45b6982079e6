package org.gpcrace.model;

import static org.gpcrace.model.Op.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.protocol.NonblockPolicy;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.protocol.ReaderMode;
import org.gpcrace.protocol.RefreshMode;

/**
 * Each actor's program of atomic steps, following the C engine step by step (native/src/race.c,
 * gpc.c, gpc_vm.c, gpc_guest.c, gpc_defer.c, uffd_notifier.c): readers (host or guest mode, with
 * the refresh), one invalidator per share of the round's invalidations (two when there are two or
 * more: the overlap the hardware gets from --invalidators 2), and where the configuration has
 * them the userfaultfd madvise thread and monitor, the defer worker and each reader's kick signal.
 * Paths a configuration cannot take (the inactive refresh without unmap rounds, the PREEMPT_RT
 * lock steps without PREEMPT_RT, ...) are not emitted, so every emitted instruction should be
 * reachable: the reachability report says which are not.
 */
public final class Programs {
    private Programs() {}

    // lock ids (arg low bits) and flags
    static final int L_MN = 1, L_GPC = 2, L_MMU = 3, L_SEQW = 4;
    static final int END = 16, BLOCKING = 32, END_ACC = 64, EAGAIN_UNDO = 128, NO_PUBLISH = 256, UNLOCK = 512;
    /**
     * Step fusion (Lipton's reduction, exact for final states): a FUSE instruction's step goes on
     * into the instruction it leads to (an acquire, a right mover, into the section its lock
     * protects), and a JOIN instruction joins the step that leads to it (a release, a left mover,
     * or a local step). Where a failed acquire has an effect (would-sleep, EAGAIN in a
     * non-blockable configuration) acquires and releases stay steps of their own, so others can
     * find the lock held. Off with {@code fine}; tests check both give the same final states.
     */
    static final int FUSE = 1024, JOIN = 2048;
    /** A FUSE step no other actor can observe: it waits with the step it fuses into instead of going alone. */
    static final int INVISIBLE = 4096;

    /** Acquires and releases may fuse: no failed acquire counts for anything (a blocking configuration). */
    static boolean fuseLocks(GpcModelConfig c) { return !c.fine() && !c.nonblock(); }

    static int fuse(GpcModelConfig c) { return fuseLocks(c) ? FUSE : 0; }

    static int join(GpcModelConfig c) { return c.fine() ? 0 : JOIN; }
    // write-side kinds of a protocol
    static final int WS_NONE = 0, WS_RWLOCK = 1, WS_SEQ = 2;

    static int writeSide(Protocol p) {
        return switch (p) {
            case RWLOCK, UFFD_INVALIDATE_THEN_READ, UFFD_READ_THEN_INVALIDATE -> WS_RWLOCK;
            case SEQCOUNT, SEQCOUNT_SRCU, SEQCOUNT_SRCU_UNMAP_ONLY -> WS_SEQ;
            case UNLOCKED, PINNED -> WS_NONE;
        };
    }

    static boolean srcu(Protocol p) { return p == Protocol.SEQCOUNT_SRCU || p == Protocol.SEQCOUNT_SRCU_UNMAP_ONLY; }

    /** The protocol's drain that a deferred start leaves to the worker (gpc_ops.drain). */
    static boolean hasDrain(Protocol p) { return writeSide(p) == WS_RWLOCK || p == Protocol.SEQCOUNT_SRCU; }

    static boolean defer(GpcModelConfig c) { return c.nonblock() && c.policy() == NonblockPolicy.DEFER; }

    static int invalidators(GpcModelConfig c) { return c.invalidations() > 1 ? 2 : 1; }

    // ------------------------------------------------------------------ readers

    /** Whether a reader's check can fail: pinned's cache is only ever invalid after an unmap round's deactivation. */
    static boolean checkCanFail(GpcModelConfig c) { return c.protocol() != Protocol.PINNED || c.unmapRounds(); }

    public static Program reader(GpcModelConfig c, String name) {
        Asm a = new Asm(name, "reader", false);
        Protocol p = c.protocol();
        if (c.readerMode() == ReaderMode.GUEST) return guestReader(c, a);
        a.op(LOAD_DONE);
        a.label("start");
        readSideChecked(a, c, checkCanFail(c) ? "fail" : null);
        // the step that ends the access goes to the top (LOAD_DONE) or, after the last, to the end
        if (atomicReadSide(c)) a.op(ACCESS, END_ACC | UNLOCK, "access through khva; read_unlock");
        else {
            a.op(ACCESS, endsAccessHere(p) ? END_ACC : 0, "");
            if (!endsAccessHere(p)) readSideEnd(a, c, END_ACC);
        }
        if (checkCanFail(c)) {
            a.label("fail");
            readSideEnd(a, c, 0);
            refresh(a, c, "start", "rf", true);
        }
        return a.build();
    }

    private static boolean endsAccessHere(Protocol p) { return writeSide(p) != WS_RWLOCK && !srcu(p); }

    /**
     * Whether the read side's steps are merged (Lipton's reduction, exact for final states): every
     * writer of active, valid and khva holds the write lock (rwlock) or writes in a seqcount write
     * section (seqcount), unless a deferred start marks the cache invalid with neither; then under
     * the read lock the check's loads commute with every other step, read_lock moves right to them
     * and read_unlock left to the access; a seqcount section a write overlaps only retries. With
     * {@code fine} (or no such protection: unlocked, pinned, defer) the C's steps are all apart.
     */
    static boolean mergedCheck(GpcModelConfig c) { return !c.fine() && !defer(c) && writeSide(c.protocol()) != WS_NONE; }

    /** The rwlock readers' access also leaves the read side (host mode, merged, where no failed write_lock counts). */
    static boolean atomicReadSide(GpcModelConfig c) { return mergedCheck(c) && fuseLocks(c) && writeSide(c.protocol()) == WS_RWLOCK; }

    /** The read side and the check in three loads; a failed check goes to {@code fail}. */
    private static void readSideChecked(Asm a, GpcModelConfig c, String fail) {
        Protocol p = c.protocol();
        int ws = writeSide(p);
        if (mergedCheck(c)) {
            if (srcu(p)) a.op(SRCU_LOCK, srcuUnobserved(c) ? FUSE | INVISIBLE : 0, "");
            a.op(ws == WS_RWLOCK ? RD_CHECK : SEQ_CHECK).alt(fail);
            return;
        }
        if (ws == WS_RWLOCK) a.op(RD_LOCK);
        if (srcu(p)) a.op(SRCU_LOCK, srcuUnobserved(c) ? FUSE | INVISIBLE : 0, "");
        int act = activeConstant(c) ? JOIN : 0, rest = cacheConstant(c) ? JOIN : 0;
        if (ws == WS_SEQ) {
            a.label("begin").op(SEQ_BEGIN);
            a.op(LD_ACTIVE, act, "");
            a.op(LD_VALID, rest, "");
            a.op(LD_KHVA, rest, "");
            a.op(SEQ_RETRY).alt("begin").alt2(fail);
        } else {
            a.op(LD_ACTIVE, act, "").alt(act != 0 ? null : fail);
            a.op(LD_VALID, rest, "").alt(rest != 0 ? null : fail);
            a.op(LD_KHVA, rest, "");
        }
    }

    private static Asm readSideEnd(Asm a, GpcModelConfig c, int flags) {
        Protocol p = c.protocol();
        if (writeSide(p) == WS_RWLOCK) return a.op(RD_UNLOCK, flags, "");
        if (srcu(p)) return a.op(SRCU_UNLOCK, flags | (srcuUnobserved(c) ? JOIN : 0), "");
        return a;
    }

    /*
     * Steps no other actor can tell apart from their neighbours (Lipton's both-movers: they touch
     * nothing another actor writes or reads) join the step before them, or fuse with the one after:
     * exact for every final state. Off with {@code fine}.
     */

    /** No program reads the SRCU read side: nothing synchronizes (unmap-only with no gpc_unmap that can find a reader). */
    static boolean srcuUnobserved(GpcModelConfig c) {
        return !c.fine() && c.protocol() == Protocol.SEQCOUNT_SRCU_UNMAP_ONLY && !c.unmapRounds() && !c.frames().remapped();
    }

    /** gpc->active never changes: only an unmap round deactivates. */
    static boolean activeConstant(GpcModelConfig c) { return !c.fine() && !c.unmapRounds(); }

    /** Nothing writes valid, khva nor the generation: pinned without unmap rounds. */
    static boolean cacheConstant(GpcModelConfig c) { return !c.fine() && !c.unmapRounds() && c.protocol() == Protocol.PINNED; }

    private static Program guestReader(GpcModelConfig c, Asm a) {
        Protocol p = c.protocol();
        boolean leave = writeSide(p) == WS_RWLOCK || srcu(p);
        a.label("top");
        readSideChecked(a, c, checkCanFail(c) ? "fail" : null);
        a.op(GUEST_ENTER).alt(leave ? "cancel" : "top");
        if (leave) readSideEnd(a, c, 0).what("read side left: in guest mode the CPU holds no lock");
        a.label("loop").op(GUEST_KICKED).alt("exit");
        a.op(LOAD_DONE).alt("exit");
        a.op(ACCESS, END_ACC, "access in guest mode (no lock held)").next("loop").alt("final");
        a.label("exit").op(GUEST_EXIT, 0, "leave guest mode after the kick: acknowledge").next("top");
        a.label("final").op(GUEST_EXIT, END_ACC, "leave guest mode: the reader's round is over").next("end");
        if (leave) {
            a.label("cancel");
            readSideEnd(a, c, 0).what("read side left: a request cancelled the entry").next("top");
        }
        if (checkCanFail(c)) {
            a.label("fail");
            readSideEnd(a, c, 0);
            refresh(a, c, "top", "rf", true);
        }
        a.label("end");
        return a.build();
    }

    /**
     * kvm_gpc_refresh: refresh_lock, the write side, hva_to_pfn_retry's loop, gpc_unmap of the old
     * khva, refresh_lock released; then back to {@code back}. {@code tag} keeps labels apart;
     * {@code byReader}: a reader refreshes (so other readers can be inside only with two or more).
     */
    static void refresh(Asm a, GpcModelConfig c, String back, String tag, boolean byReader) {
        a.op(RF_MUTEX);
        refreshLocked(a, c, back, tag, byReader);
    }

    /**
     * __kvm_gpc_refresh with refresh_lock already held (also the end of __kvm_gpc_activate). A
     * reader's refresh can find the cache valid again (another reader's, or the activation's
     * refresh) or inactive (an unmap round); the activation's finds it active and invalid, and
     * retries only when another invalidator's invalidation runs meanwhile. Pinned's readers never
     * publish: the only invalid pinned cache is a deactivated one, which the activation refreshes.
     */
    static void refreshLocked(Asm a, GpcModelConfig c, String back, String tag, boolean byReader) {
        Protocol p = c.protocol();
        boolean othersInside = !byReader || c.readers() > 1;
        // the notifier's check read-locks gpc->lock too (a step of its own unless sections are fused)
        boolean lockersInside = othersInside || (writeSide(p) == WS_RWLOCK && !fuseLocks(c));
        boolean keep = byReader && (c.readers() > 1 || c.unmapRounds());
        boolean inactive = byReader && c.unmapRounds();
        boolean publishes = !(byReader && p == Protocol.PINNED);
        boolean retries = byReader || c.invalidations() > 1;
        writeSideLock(a, c, 0, lockersInside, tag + "_w1");
        a.op(RF_ENTER, publishes ? 0 : NO_PUBLISH, "").alt(keep ? tag + "_keep" : null).alt2(inactive ? tag + "_inactive" : null);
        if (!publishes) {
            a.label(tag + "_keep").op(RF_MUTEX_UNLOCK, join(c), "refresh: valid again (another task refreshed it): mutex_unlock").next(back);
            a.label(tag + "_inactive").op(RF_MUTEX_UNLOCK, join(c), "refresh: the cache is inactive (-EINVAL): mutex_unlock, try again").next(back);
            return;
        }
        a.label(tag + "_loop").op(RF_FAULT);
        // the activation's own refresh finds an invalidation pending only when another invalidator runs
        boolean pendingPossible = byReader || c.invalidations() > 1;
        if (c.refresh() == RefreshMode.WAIT) {
            if (c.preemptRt()) {
                a.label(tag + "_wlock").op(RF_WAIT_LOCK);
                a.op(RF_WAIT_CHECK).alt(pendingPossible ? tag + "_wsleep" : null);
            } else {
                a.op(RF_WAITINV);
            }
        }
        writeSideLock(a, c, 0, lockersInside, tag + "_w2");
        a.op(RF_CHECK).alt(retries ? tag + "_retry" : null);
        if (c.frames().remapped()) {
            boolean syncWait = srcu(p) && othersInside;
            a.op(RF_UNMAP, 0, "refresh: unmap_old: gpc_unmap of the khva the new one replaced").alt(syncWait ? null : tag + "_unlock");
            if (syncWait) a.op(SYNC_WAIT, 0, "gpc_unmap's synchronize_srcu returns");
        }
        a.label(tag + "_unlock").op(RF_MUTEX_UNLOCK, join(c), "refresh: published; mutex_unlock").next(back);
        if (retries) a.label(tag + "_retry").op(RF_RETRY, join(c), "").next(tag + "_loop");
        if (c.refresh() == RefreshMode.WAIT && c.preemptRt() && pendingPossible) a.label(tag + "_wsleep").op(RF_WAITINV, 0,
                "refresh (wait): sleep on gpc_invalidate_wq until none is pending").next(tag + "_wlock");
        if (keep) a.label(tag + "_keep").op(RF_MUTEX_UNLOCK, join(c), "refresh: valid again (another task refreshed it): mutex_unlock").next(back);
        if (inactive) a.label(tag + "_inactive").op(RF_MUTEX_UNLOCK, join(c),
                "refresh: the cache is inactive (-EINVAL): mutex_unlock, try again").next(back);
    }

    /**
     * The write side of a blocking context (refresh, deactivate, activate, the defer worker's
     * drain): W_ACQ takes the lock, or announces itself and drains the readers in W_DRAIN (emitted
     * when readers can be inside: the step refuses a state its program did not expect).
     */
    private static void writeSideLock(Asm a, GpcModelConfig c, int flags, boolean readersInside, String tag) {
        int ws = writeSide(c.protocol());
        if (ws == WS_NONE) return;
        boolean drain = ws == WS_RWLOCK && readersInside;
        a.op(W_ACQ, flags | BLOCKING | fuse(c), "").next(drain ? tag + "_after" : null).alt(drain ? tag + "_drain" : null);
        if (drain) {
            a.label(tag + "_drain").op(W_DRAIN, flags | BLOCKING | fuse(c), "");
            a.label(tag + "_after");
        }
    }

    // ------------------------------------------------------------------ invalidators

    /** The events of invalidator {@code which}: as race.c's share(), the first takes the larger half. */
    static int[] share(GpcModelConfig c, int which) {
        int total = c.invalidations(), inv = invalidators(c);
        int mine0 = (total + inv - 1) / inv;
        return which == 0 ? new int[] {0, mine0} : new int[] {mine0, total - mine0};
    }

    public static Program invalidator(GpcModelConfig c, int which) {
        Protocol p = c.protocol();
        if (p.usesUffd()) return new Asm("madvise", "madvise", false).op(POST_EVENT).op(ZAP_AFTER_READ).build();
        String name = invalidators(c) > 1 ? "invalidator" + which : "invalidator";
        Asm a = new Asm(name, name, false);
        int[] sh = share(c, which);
        for (int e = sh[0]; e < sh[0] + sh[1]; e++) {
            String ev = "e" + e;
            if (c.unmapRounds() && e == 0) {
                a.op(UNMAP_ROUND).alt(ev + "_zap");
                unmapEvent(a, c, ev); // its activation's refresh goes on at ev_done
                a.label(ev + "_zap");
            }
            zapEvent(a, c, ev);
            a.label(ev + "_done");
        }
        a.op(INV_DONE);
        return a.build();
    }

    /**
     * A lock of the notifier path as gpc_lock_nb takes it (under PREEMPT_RT only: without it the
     * sections are single steps). The wait is emitted when something else can hold the lock
     * ({@code contended}); the step refuses a held lock its program did not expect.
     */
    private static void lockRt(Asm a, GpcModelConfig c, int lock, int flags, String eagain, String what, boolean contended, String tag) {
        contended &= eagain == null; // a start that returns -EAGAIN never waits for a (PREEMPT_RT: sleeping) lock
        a.op(LOCK_ACQ, lock | flags | fuse(c), what).next(contended ? tag + "_got" : null).alt(contended ? tag + "_wait" : null).alt2(eagain);
        if (contended) {
            a.label(tag + "_wait").op(LOCK_WAIT, lock | flags | fuse(c), "");
            a.label(tag + "_got");
        }
    }

    /** Another invalidator: two or more invalidations in a round come from two invalidators. */
    private static boolean twoInvalidators(GpcModelConfig c) { return invalidators(c) > 1; }

    private static void zapEvent(Asm a, GpcModelConfig c, String ev) {
        Protocol p = c.protocol();
        boolean rt = c.preemptRt(), nbEagain = c.nonblock() && c.policy() == NonblockPolicy.EAGAIN;
        String undo = ev + "_undo", exit = ev + "_exit";
        // kvm_mmu_notifier_invalidate_range_start: count++ under mn_invalidate_lock
        boolean mnContended = twoInvalidators(c) || c.refresh() == RefreshMode.WAIT, two = twoInvalidators(c);
        if (rt) lockRt(a, c, L_MN, 0, nbEagain ? exit : null, "spin_lock(&kvm->mn_invalidate_lock)", mnContended, ev + "_mn");
        a.op(COUNT_INC, rt ? L_MN : 0, "");
        // gfn_to_pfn_cache_invalidate_start: the cache step under gpc_lock
        if (rt) lockRt(a, c, L_GPC, 0, nbEagain ? undo : null, "spin_lock(&kvm->gpc_lock)", two, ev + "_gl");
        if (defer(c)) {
            // pinned has no cache step to mark, but the deferred kvm_unmap_gfn_range still takes mmu_lock
            if (p != Protocol.PINNED || rt) a.op(IV_MARK);
        } else {
            cacheStep(a, c, 0, nbEagain ? undo : null, ev);
        }
        if (rt) a.op(LOCK_REL, (fuseLocks(c) ? JOIN : 0) | L_GPC, "spin_unlock(&kvm->gpc_lock)");
        if (c.readerMode() == ReaderMode.GUEST) {
            a.op(EVICT).alt(ev + "_nokick");
            a.op(ACKS).alt2(nbEagain ? undo : null);
            a.label(ev + "_nokick");
        }
        // __kvm_handle_hva_range: kvm_unmap_gfn_range under mmu_lock (the range is in a memslot)
        if (rt && !defer(c)) {
            lockRt(a, c, L_MMU, 0, nbEagain ? undo : null, "write_lock(&kvm->mmu_lock): kvm_unmap_gfn_range", two, ev + "_mmu");
            a.op(LOCK_REL, (fuseLocks(c) ? JOIN : 0) | L_MMU, "write_unlock(&kvm->mmu_lock)");
        }
        a.op(SNAPSHOT);
        a.op(ZAP);
        if (c.frames().reset()) a.op(RESET);
        // kvm_mmu_notifier_invalidate_range_end
        // the defer worker's kvm_unmap_gfn_range takes mmu_lock too
        if (rt) lockRt(a, c, L_MMU, END, null, "write_lock(&kvm->mmu_lock): kvm_mmu_invalidate_end", two || defer(c), ev + "_mmue");
        // non-RT, with nothing between: mmu_invalidate_seq++ then count-- as one step is exact (a
        // refresh's check sees count > 0 in between, as before the seq++)
        boolean endPair = !rt && c.refresh() != RefreshMode.WAIT && !c.fine();
        a.op(SEQ_INC, (rt ? L_MMU : 0) | (endPair ? FUSE : 0), "");
        if (c.refresh() == RefreshMode.WAIT) {
            if (rt) lockRt(a, c, L_GPC, END, null, "end hook: spin_lock(&kvm->gpc_lock)", two, ev + "_gle");
            a.op(END_HOOK).alt(ev + "_hookdone");
            cacheStep(a, c, END, null, ev + "h");
            a.label(ev + "_hookdone");
            if (rt) a.op(LOCK_REL, (fuseLocks(c) ? JOIN : 0) | L_GPC | END, "end hook: spin_unlock(&kvm->gpc_lock)");
        }
        if (rt) lockRt(a, c, L_MN, END, null, "spin_lock(&kvm->mn_invalidate_lock) (end)", mnContended, ev + "_mne");
        a.op(COUNT_DEC, rt ? L_MN : 0, "").next(ev + "_next");
        if (nbEagain) {
            a.label(undo);
            if (rt) lockRt(a, c, L_MN, END, null, "undo: spin_lock(&kvm->mn_invalidate_lock)", mnContended, ev + "_mnu");
            a.op(COUNT_DEC, (rt ? L_MN : 0) | EAGAIN_UNDO, "undo the count of the start that returned -EAGAIN").next(exit);
            a.label(exit).op(EAGAIN_EXIT);
        }
        a.label(ev + "_next");
    }

    /**
     * The protocol's cache step (gpc_ops.invalidate_start) in the notifier start, or (END) the
     * 2024 series' end hook on the write side. {@code eagain}: where EAGAIN goes, or null.
     */
    private static void cacheStep(Asm a, GpcModelConfig c, int flags, String eagain, String tag) {
        Protocol p = c.protocol();
        boolean end = (flags & END) != 0;
        // another writer of gpc->lock while the notifier wants it: a refresh running (which needs an
        // invalid cache: a second invalidation) or a second invalidator (at the end too: with one
        // invalidation the refresh the end hook cancels sleeps in gpc_wait_for_invalidations, off
        // the write side, until the end is over)
        boolean writers = !p.usesUffd() && c.invalidations() > 1;
        // a sleeping lock found busy in a start that returns -EAGAIN never waits
        boolean waits = eagain == null || !(c.preemptRt() || c.lock() == org.gpcrace.protocol.LockKind.SLEEPING);
        switch (writeSide(p)) {
            case WS_RWLOCK -> {
                int fu = fuse(c);
                writers &= waits;
                if (!end) {
                    a.op(IV_RLOCK, flags | fu, "").alt(writers ? tag + "_rwait" : null).alt2(eagain);
                    a.label(tag + "_rcheck").op(IV_RCHECK, flags, "").alt(tag + "_miss");
                }
                a.label(tag + "_wacq").op(IV_WACQ, flags | fu, "").alt(waits ? tag + "_drain" : null).alt2(eagain)
                        .alt3(writers ? tag + "_wwait" : null);
                a.label(tag + "_clear").op(IV_CLEAR, flags, "").next(tag + "_miss");
                if (waits) a.label(tag + "_drain").op(IV_WDRAIN, flags | fu, "").next(tag + "_clear");
                if (writers) a.label(tag + "_wwait").op(IV_WWAIT, flags | fu, "").alt(tag + "_drain").next(tag + "_clear");
                if (!end && writers) a.label(tag + "_rwait").op(IV_RLOCK_WAIT, flags | fu, "").next(tag + "_rcheck");
                a.label(tag + "_miss");
            }
            case WS_SEQ -> {
                // the seqlock's lock: held by a publishing refresh (the cache invalid before this step)
                // or another invalidator; never seen held when every holder's section is one step
                writers &= !fuseLocks(c) && (eagain == null || !c.preemptRt());
                a.op(LOCK_ACQ, L_SEQW | flags | fuse(c), "write_seqlock: the seqlock's spinlock_t").next(writers ? tag + "_got" : null)
                        .alt(writers ? tag + "_wait" : null).alt2(eagain);
                if (writers) {
                    a.label(tag + "_wait").op(LOCK_WAIT, L_SEQW | flags | fuse(c), "");
                    a.label(tag + "_got");
                }
                a.op(IV_CLEAR, flags, "");
                if (p == Protocol.SEQCOUNT_SRCU && !end) {
                    a.op(IV_SYNC, flags, "").alt(tag + "_synced").alt2(eagain);
                    if (eagain == null) a.op(SYNC_WAIT, 0, "the notifier's synchronize_srcu returns");
                    a.label(tag + "_synced");
                }
            }
            default -> {
                if (p != Protocol.PINNED) a.op(IV_CLEAR, flags, "");
            }
        }
    }

    /** An unmap round's event (race.c event_unmap): kvm_gpc_deactivate, S, the frame handed over, __kvm_gpc_activate. */
    private static void unmapEvent(Asm a, GpcModelConfig c, String ev) {
        Protocol p = c.protocol();
        a.op(RF_MUTEX, 0, "kvm_gpc_deactivate: mutex_lock(&gpc->refresh_lock)");
        writeSideLock(a, c, 0, true, ev + "_dw");
        a.op(DEACTIVATE);
        if (c.readerMode() == ReaderMode.GUEST) {
            a.op(EVICT, BLOCKING, "deactivate: request the readers out of guest mode").alt(ev + "_dnokick");
            a.op(ACKS, BLOCKING, "deactivate: wait until they left");
            a.label(ev + "_dnokick");
        }
        if (c.preemptRt()) {
            lockRt(a, c, L_GPC, BLOCKING, null, "list_del: spin_lock(&kvm->gpc_lock)", twoInvalidators(c), ev + "_ld");
            a.op(LOCK_REL, (fuseLocks(c) ? JOIN : 0) | L_GPC | BLOCKING, "list_del: spin_unlock(&kvm->gpc_lock)");
        }
        a.op(UNMAP).alt(srcu(p) ? null : ev + "_unmapped");  // with SRCU: no reader inside skips the wait
        if (srcu(p)) a.op(SYNC_WAIT, 0, "gpc_unmap's synchronize_srcu returns");
        a.label(ev + "_unmapped");
        a.op(RF_MUTEX_UNLOCK, 0, "kvm_gpc_deactivate: mutex_unlock");
        a.op(SNAPSHOT);
        a.op(RESET, 0, "the deactivated frame's new owner takes it over: counters reset");
        a.op(RF_MUTEX, 0, "__kvm_gpc_activate: mutex_lock(&gpc->refresh_lock)");
        if (c.preemptRt()) {
            lockRt(a, c, L_GPC, BLOCKING, null, "list_add: spin_lock(&kvm->gpc_lock)", twoInvalidators(c), ev + "_la");
            a.op(LOCK_REL, (fuseLocks(c) ? JOIN : 0) | L_GPC | BLOCKING, "list_add: spin_unlock(&kvm->gpc_lock)");
        }
        writeSideLock(a, c, 0, true, ev + "_aw");
        a.op(ACTIVATE);
        refreshLocked(a, c, ev + "_done", ev + "_arf", false);
    }

    // ------------------------------------------------------------------ userfaultfd, daemons

    /** The userfaultfd monitor, or null for the other variants. */
    public static Program monitor(GpcModelConfig c) {
        Protocol p = c.protocol();
        if (!p.usesUffd()) return null;
        Asm a = new Asm("monitor", "monitor", false);
        a.op(POLL_EVENT);
        if (p == Protocol.UFFD_INVALIDATE_THEN_READ) cacheStep(a, c, BLOCKING, null, "m");
        a.op(SNAPSHOT, 0, "the last instant before the read releases the madvise: S");
        a.op(READ_EVENT);
        if (p == Protocol.UFFD_READ_THEN_INVALIDATE) cacheStep(a, c, BLOCKING, null, "m");
        a.op(WAIT_MADVISE);
        if (c.frames().reset()) a.op(RESET);
        a.op(UFFD_END);
        a.op(INV_DONE);
        return a.build();
    }

    /** The storm (race.c storm thread): one invalidation of a range no memslot and no cache covers, or null. */
    public static Program storm(GpcModelConfig c) {
        if (!c.variant().storm()) return null;
        return new Asm("storm", "storm", false).op(STORM_START).op(STORM_END).build();
    }

    /** The defer worker (gpc_defer.c), or null. */
    public static Program worker(GpcModelConfig c) {
        if (!defer(c)) return null;
        Protocol p = c.protocol();
        Asm a = new Asm("worker", "worker", true);
        boolean drainRw = writeSide(p) == WS_RWLOCK, drainSrcu = p == Protocol.SEQCOUNT_SRCU;
        a.label("idle").op(WORK).next(drainRw ? "rw" : null).alt(drainSrcu ? "srcu" : null)
                .alt2(c.readerMode() == ReaderMode.GUEST ? "acks" : null).alt3(c.preemptRt() ? "mmu" : null);
        if (drainRw) {
            a.label("rw");
            writeSideLock(a, c, 0, true, "dw");
            a.op(W_REL, BLOCKING, "the deferred drain: write_unlock").next("idle");
        }
        if (drainSrcu) {
            a.label("srcu").op(IV_SYNC, BLOCKING, "the deferred synchronize_srcu").alt("idle");
            a.op(SYNC_WAIT, 0, "the deferred synchronize_srcu returns").next("idle");
        }
        if (c.readerMode() == ReaderMode.GUEST) a.label("acks").op(ACKS, BLOCKING, "the deferred wait for the kicked readers").next("idle");
        if (c.preemptRt()) {
            a.label("mmu");
            lockRt(a, c, L_MMU, BLOCKING, null, "the deferred kvm_unmap_gfn_range: write_lock(&kvm->mmu_lock)", true, "wm");
            a.op(LOCK_REL, (fuseLocks(c) ? JOIN : 0) | L_MMU | BLOCKING, "write_unlock(&kvm->mmu_lock)").next("idle");
        }
        return a.build();
    }

    /** Reader r's kick signal in flight: delivered at any moment after tgkill. */
    public static Program ipi(String reader) {
        return new Asm("ipi-" + reader, "ipi", true).label("wait").op(IPI).next("wait").build();
    }

    /** A tiny assembler: ops in order, labels, forward jumps resolved at the end. */
    static final class Asm {
        private final String actor, role;
        private final boolean daemon;
        private final List<Op> ops = new ArrayList<>();
        private final List<Integer> args = new ArrayList<>();
        private final List<String> whats = new ArrayList<>();
        private final List<String[]> targets = new ArrayList<>(); // next, alt, alt2, alt3 label names
        private final Map<String, Integer> labels = new HashMap<>();

        Asm(String actor, String role, boolean daemon) {
            this.actor = actor;
            this.role = role;
            this.daemon = daemon;
        }

        Asm op(Op op) { return op(op, 0, ""); }

        Asm op(Op op, int arg, String what) {
            ops.add(op);
            args.add(arg);
            whats.add(what);
            targets.add(new String[4]);
            return this;
        }

        Asm label(String name) {
            if (labels.put(name, ops.size()) != null) throw new IllegalStateException(actor + ": label " + name + " twice");
            return this;
        }

        Asm what(String w) { whats.set(whats.size() - 1, w); return this; }

        Asm next(String label) { targets.getLast()[0] = label; return this; }

        Asm alt(String label) { targets.getLast()[1] = label; return this; }

        Asm alt2(String label) { targets.getLast()[2] = label; return this; }

        Asm alt3(String label) { targets.getLast()[3] = label; return this; }

        Program build() {
            List<Program.Instr> code = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                String[] t = targets.get(i);
                code.add(new Program.Instr(ops.get(i), resolve(t[0]), resolve(t[1]), resolve(t[2]), resolve(t[3]), args.get(i), whats.get(i)));
            }
            return new Program(actor, role, daemon, List.copyOf(code));
        }

        private int resolve(String label) {
            if (label == null) return -1;
            if (label.equals("end")) return labels.getOrDefault("end", ops.size());
            Integer pc = labels.get(label);
            if (pc == null) throw new IllegalStateException(actor + ": no label " + label);
            return pc;
        }
    }
}
