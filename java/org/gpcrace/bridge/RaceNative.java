package org.gpcrace.bridge;

/**
 * The race engine's native entry points (gpcrace.h, section gpc): the userspace GPC, its
 * protocol table, and the round runner. A run is an opaque native address; its configuration
 * and the batch buffers are memory Java owns, laid out as {@link Layouts#GPC_CONFIG},
 * {@link Layouts#GPC_ROUND} and {@link Layouts#GPC_READER_ROUND}.
 */
public interface RaceNative {
    /** gpcrace_gpc_run_batch results. */
    int DONE = 0, HUNG = 1;
    /** Batch modes. */
    int MODE_RACE = 0, MODE_CALIBRATE = 1;

    /** Native index of a protocol id ("rwlock"), or -1 when the helper does not know it. */
    int protocolIndex(String id);
    int protocolCount();
    String protocolId(int index);
    /** Name of a native source code ("dontneed"), or null. */
    String sourceName(int source);
    boolean sourcePreservesContent(int source, int backing);
    /** Bytes one round takes in a batch buffer. */
    long roundBytes(int readers);

    /**
     * Creates a run from the gpcrace_gpc_config at {@code config}. A configuration the helper
     * refuses (EINVAL) throws IllegalArgumentException with its one-line reason; a machine that
     * cannot do it (no userfaultfd, ...) throws CapabilityMissingException with reason and fix.
     */
    long create(long config);
    void setDelayRange(long run, long minNs, long maxNs);
    void armBatch(long run, long rounds, long buffer, int mode);
    /** Runs the armed batch; returns {@link #DONE} or {@link #HUNG}; a failure inside throws. */
    int runBatch(long run);
    long batchDone(long run);
    /** The CPU an actor ran on in the last batch, -1 if unknown. */
    int actorCpu(long run, int actor);
    String lastError(long run);
    void abort(long run);
    void destroy(long run);

    // the invalidator's steps, for the Java invalidator (gpcrace.h: inv_begin, inv_notify_start, inv_finish)
    int invBegin(long run);
    int invNotifyStart(long run);
    int invFinish(long run, int zapErrno);
    long invAddress(long run);
    long invLength(long run);

    /** Shared by both implementations: a negative batch result is a failure with the helper's reason. */
    static long checkCreate(int result, long run, String reason) {
        if (result == 0) return run;
        if (result == -22) throw new IllegalArgumentException(reason);
        throw new CapabilityMissingException(reason);
    }

    static int checkBatch(int result, String lastError) {
        if (result >= 0) return result;
        String why = lastError == null || lastError.isEmpty() ? "errno " + (-result) : lastError;
        throw new IllegalStateException("gpc batch failed: " + why);
    }
}
