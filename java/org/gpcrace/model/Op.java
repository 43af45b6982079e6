package org.gpcrace.model;

/**
 * The atomic steps the GPC actors are made of. Each is one indivisible action under sequential
 * consistency; {@link GpcModel} gives their semantics, {@link Programs} strings them into each
 * protocol's reader, invalidator and (userfaultfd) monitor programs.
 */
public enum Op {
    // ---- reader: the round loop and the read side of each protocol
    LOAD_DONE("done = the invalidation has ended (read at the top of every access)"),
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
    // ---- reader: refresh (gpc_refresh, after hva_to_pfn_retry)
    RF_MUTEX("refresh: mutex_lock(refresh_lock)"),
    RF_VALID("refresh: if valid (another reader refreshed meanwhile) skip to the unlock"),
    RF_WAIT("refresh: wait for mn_active_invalidate_count == 0 (livelock flag past the retry bound)"),
    RF_SEQ("refresh: mmu_seq = mmu_invalidate_seq; fault the page in"),
    RF_PUBLISH("refresh: write side: retry if an invalidation started or ended since mmu_seq, else publish valid, generation + 1"),
    RF_MUTEX_UNLOCK("refresh: mutex_unlock(refresh_lock); enter the read side again"),
    // ---- invalidator: MMU-notifier start/end and the zap
    COUNT_INC("invalidate_range_start: mn_active_invalidate_count++"),
    WLOCK_TRY("write_lock(gpc->lock)"),
    WLOCK_WAIT("write_lock(gpc->lock) acquired once readers drained"),
    CLEAR_VALID("gpc->valid = false"),
    WUNLOCK("write_unlock(gpc->lock)"),
    SEQ_WBEGIN("write_seqlock: writers' lock, write_seqcount_begin"),
    SEQ_WEND("write_sequnlock: write_seqcount_end, writers' unlock"),
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
    WAIT_MADVISE("monitor: wait for madvise to return");

    private final String text;

    Op(String text) { this.text = text; }

    public String text() { return text; }
}
