package org.gpcrace.model;

/**
 * The atomic steps the GPC actors are made of, at the granularity of the C engine
 * (native/src/gpc*.c, race.c): each is one indivisible action under sequential consistency.
 * {@link GpcModel} gives their semantics, {@link Programs} strings them into each actor's
 * program. A lock section of the notifier path is an acquire step (which, when the lock is held,
 * records would-sleep for a sleeping lock in a non-blockable invalidation or returns -EAGAIN,
 * then waits) and a release step that does the section's body; under PREEMPT_RT these are
 * separate steps, without it the spinning locks' sections are single steps (no outcome depends
 * on a spinlock that never sleeps, and a one-store section is atomic).
 */
public enum Op {
    // ---- reader: the round loop (race.c reader_round_host/guest)
    LOAD_DONE("done = the invalidations have ended (read at the top of every access)"),
    RD_LOCK("read_lock(&gpc->lock) (waits while a writer holds it or waits for it)"),
    RD_UNLOCK("read_unlock(&gpc->lock)"),
    SRCU_LOCK("srcu_read_lock"),
    SRCU_UNLOCK("srcu_read_unlock"),
    SEQ_BEGIN("read_seqcount_begin (waits while odd)"),
    RD_CHECK("read_lock(&gpc->lock), then the check's loads of active, valid, khva: one step, as the write lock excludes every writer of them"),
    SEQ_CHECK("read_seqcount_begin, the loads of active, valid, khva, read_seqcount_retry: one step, as a write during them makes it retry"),
    LD_ACTIVE("check: load gpc->active"),
    LD_VALID("check: load gpc->valid"),
    LD_KHVA("check: load gpc->khva (with its generation tag)"),
    SEQ_RETRY("read_seqcount_retry, then active && valid"),
    ACCESS("access through khva: the counter of its generation in the frame it reaches (unmap-use if torn down)"),
    GUEST_ENTER("vcpu->mode = IN_GUEST_MODE; a pending request cancels the entry"),
    GUEST_KICKED("in guest mode: has the kick's signal arrived?"),
    GUEST_EXIT("vcpu->mode = OUTSIDE_GUEST_MODE: the acknowledgement"),
    // ---- refresh: kvm_gpc_refresh / __kvm_gpc_refresh / hva_to_pfn_retry (gpc.c)
    RF_MUTEX("refresh: mutex_lock(&gpc->refresh_lock)"),
    W_ACQ("write side: write_lock (announce, blocking new readers) / write_seqlock"),
    W_DRAIN("write side: the readers inside have left: write lock held"),
    W_REL("write side: write_unlock / write_sequnlock"),
    RF_ENTER("refresh: !active -> -EINVAL; valid -> keep; else valid = false, snapshot mmu_seq (retry) / needs_invalidation = true (wait); unlock"),
    RF_FAULT("refresh: hva_to_pfn + gpc_map: the frame the guest address maps now, and its kernel mapping"),
    RF_WAITINV("refresh (wait): gpc_wait_for_invalidations: while one covering the page is pending"),
    RF_WAIT_LOCK("refresh (wait): spin_lock(&kvm->mn_invalidate_lock)"),
    RF_WAIT_CHECK("refresh (wait): pending? unlock and sleep : unlock and go on"),
    RF_CHECK("refresh: mmu_notifier_retry_cache (retry) / !needs_invalidation (wait): retry, else publish; unlock"),
    RF_RETRY("refresh: go round hva_to_pfn_retry's loop again (cond_resched)"),
    RF_UNMAP("refresh: gpc_unmap of the old khva (the SRCU protocols wait for their readers first)"),
    SYNC_WAIT("synchronize_srcu returns: the readers it waited for left"),
    RF_MUTEX_UNLOCK("refresh: mutex_unlock(&gpc->refresh_lock)"),
    // ---- invalidation: kvm_mmu_notifier_invalidate_range_start/_end (gpc_vm.c) and the protocols' cache step
    LOCK_ACQ("lock of the notifier path: take it, or (held) would-sleep / EAGAIN / wait"),
    LOCK_WAIT("the lock was released: take it"),
    COUNT_INC("mn_active_invalidate_count++; spin_unlock(&kvm->mn_invalidate_lock)"),
    LOCK_REL("spin_unlock / unlock of the notifier path's lock"),
    IV_RLOCK("read_lock_irq(&gpc->lock) in the notifier: take it, or (a writer in) would-sleep / EAGAIN / wait"),
    IV_RLOCK_WAIT("read_lock_irq(&gpc->lock): the writer left"),
    IV_RCHECK("valid or needs_invalidation? read_unlock_irq"),
    IV_WACQ("write_lock(&gpc->lock) in the notifier: announce, or (held) would-sleep / EAGAIN / wait"),
    IV_WWAIT("write_lock(&gpc->lock): the other writer left: announce"),
    IV_WDRAIN("write_lock(&gpc->lock): readers drained (would-sleep / EAGAIN when they were inside)"),
    IV_CLEAR("valid = needs_invalidation = false; write_unlock / write_sequnlock"),
    IV_SYNC("synchronize_srcu: readers inside? (would-sleep / EAGAIN)"),
    IV_MARK("defer: valid = false without waiting; the rest queued to the worker"),
    UNMAP_ROUND("is this round an unmap round (kvm_gpc_deactivate + activate) or a zap?"),
    EVICT("kvm_make_vcpus_request_mask: request every reader out, kick those in guest mode (tgkill)"),
    ACKS("KVM_REQUEST_WAIT: wait until the kicked readers left guest mode (no-wait: skip; eagain: -EAGAIN)"),
    SNAPSHOT("the start returned: S = the invalidated generation's counters"),
    ZAP("the kernel operation: the guest address reaches a new frame (or keeps it)"),
    RESET("the frame's new owner takes it over: counters reset"),
    SEQ_INC("kvm_mmu_invalidate_end: mmu_invalidate_seq++"),
    END_HOOK("end hook (wait): needs_invalidation? clear it (and valid) on the write side"),
    COUNT_DEC("mn_active_invalidate_count-- (undone start, or the end)"),
    EAGAIN_EXIT("the start returned -EAGAIN: no zap, no end"),
    DEACTIVATE("kvm_gpc_deactivate: active = valid = false, khva = NULL on the write side"),
    UNMAP("gpc_unmap of the deactivated khva (the SRCU protocols wait for their readers first)"),
    ACTIVATE("__kvm_gpc_activate: active = true on the write side, then the refresh"),
    INV_DONE("this invalidator's invalidations are over (the last waits for the defer worker)"),
    STORM_START("storm: invalidate_range_start of an unrelated range: mn_active_invalidate_count++ (no memslot: no cache step, no mmu_lock)"),
    STORM_END("storm: invalidate_range_end: mn_active_invalidate_count-- (no memslot: mmu_invalidate_seq unchanged)"),
    // ---- userfaultfd: the madvise thread and the monitor
    POST_EVENT("madvise: UFFD_EVENT_REMOVE queued, madvise waits until it is read"),
    ZAP_AFTER_READ("madvise: event read, zap"),
    POLL_EVENT("monitor: poll sees UFFD_EVENT_REMOVE; mn_active_invalidate_count++"),
    READ_EVENT("monitor: read(UFFD_EVENT_REMOVE): madvise may zap from now on"),
    WAIT_MADVISE("monitor: wait for madvise to return"),
    UFFD_END("monitor: mmu_invalidate_seq++, mn_active_invalidate_count--"),
    // ---- daemons: the kick's signal, the defer worker
    IPI("the kick's signal arrives: the reader's handler notes it"),
    WORK("defer worker: take the next deferred item");

    private final String text;

    Op(String text) { this.text = text; }

    public String text() { return text; }
}
