package org.gpcrace.model;

/**
 * The atomic steps the GPC actors are made of. Each is one indivisible action under sequential
 * consistency; {@link GpcModel} gives their semantics, {@link Programs} strings them into each
 * protocol's reader, invalidator and (userfaultfd) monitor programs.
 */
public enum Op {
    // ---- reader: the read side of each protocol
    READ_LOCK("read_lock(gpc->lock)"),
    READ_UNLOCK("read_unlock(gpc->lock)"),
    READ_UNLOCK_END("read_unlock(gpc->lock); access done"),
    CHECK_VALID("check: gpc->valid"),
    SRCU_LOCK("srcu_read_lock"),
    SRCU_UNLOCK("srcu_read_unlock"),
    SRCU_UNLOCK_END("srcu_read_unlock; access done"),
    SEQ_BEGIN("read_seqcount_begin (waits while odd)"),
    SEQ_READ("read gpc->valid, gpc->khva"),
    SEQ_RETRY("read_seqcount_retry"),
    ACCESS("access through khva: counter++ in the frame it reaches, tally its generation"),
    ACCESS_END("access through khva; access done"),
    ACCESS_ALIAS_END("access through the pinned alias (old frame); access done"),
    // ---- reader: refresh, as hva_to_pfn_retry()
    RF_MUTEX("refresh: mutex_lock(refresh_lock)"),
    RF_LOCK("refresh: write side lock; if valid (refreshed by another) skip"),
    RF_SEQ_UNLOCK("refresh: mmu_seq = mmu_invalidate_seq; write side unlock"),
    RF_WAIT("refresh: wait for mn_active_invalidate_count == 0; fault the page in"),
    RF_LOCK_CHECK("refresh: write side lock; retry if an invalidation started or ended since mmu_seq, else publish"),
    RF_UNLOCK("refresh: write side unlock; mutex_unlock(refresh_lock); check again"),
    // ---- invalidator: MMU-notifier start/end and the zap
    COUNT_INC("invalidate_range_start: mn_active_invalidate_count++"),
    WLOCK_TRY("write_lock(gpc->lock)"),
    WLOCK_WAIT("write_lock(gpc->lock) acquired once readers drained"),
    CLEAR_VALID("gpc->valid = false"),
    WUNLOCK("write_unlock(gpc->lock)"),
    SEQ_WBEGIN("write_seqcount_begin"),
    SEQ_WEND("write_seqcount_end"),
    SYNC_SRCU("synchronize_srcu"),
    SYNC_WAIT("synchronize_srcu returns: pre-existing readers left"),
    SNAPSHOT("notifier start returned: S_r = every reader's counter"),
    ZAP("zap: the mapping now reaches a new frame"),
    EAGAIN("non-blockable: return -EAGAIN, invalidation and zap skipped"),
    SEQ_INC("invalidate_range_end: mmu_invalidate_seq++"),
    COUNT_DEC("invalidate_range_end: mn_active_invalidate_count--"),
    // ---- userfaultfd: the madvise thread and the monitor
    POST_EVENT("madvise: UFFD_EVENT_REMOVE queued, madvise waits until it is read"),
    ZAP_AFTER_READ("madvise: event read, zap: the mapping now reaches a new frame"),
    POLL_EVENT("monitor: poll sees UFFD_EVENT_REMOVE; mn_active_invalidate_count++"),
    READ_EVENT("monitor: read(UFFD_EVENT_REMOVE): madvise may zap from now on"),
    READ_EVENT_SNAPSHOT("monitor: read(UFFD_EVENT_REMOVE): madvise may zap from now on; S_r = every reader's counter"),
    WAIT_MADVISE("monitor: wait for madvise to return");

    private final String text;

    Op(String text) { this.text = text; }

    public String text() { return text; }
}
