package org.gpcrace.bridge.jna;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.gpcrace.bridge.RaceNative;

/** JNA implementation of {@link RaceNative}: the same helper functions, the same results as FFM. */
final class JnaRace implements RaceNative {
    private static final int ERR_LEN = 512;

    @Override public int protocolIndex(String id) { return LibGpcrace.gpcrace_gpc_protocol_index(id); }

    @Override public int protocolCount() { return LibGpcrace.gpcrace_gpc_protocol_count(); }

    @Override public String protocolId(int index) { return LibGpcrace.gpcrace_gpc_protocol_id(index); }

    @Override public String sourceName(int source) { return LibGpcrace.gpcrace_gpc_source_name(source); }

    @Override public boolean sourcePreservesContent(int source, int backing) {
        return LibGpcrace.gpcrace_gpc_source_preserves_content(source, backing) != 0;
    }

    @Override public long roundBytes(int readers) { return LibGpcrace.gpcrace_gpc_round_bytes(readers); }

    @Override public long create(long config) {
        try (Memory out = new Memory(8); Memory err = new Memory(ERR_LEN)) {
            out.clear();
            err.clear();
            int r = LibGpcrace.gpcrace_gpc_create(config, Pointer.nativeValue(out), Pointer.nativeValue(err), ERR_LEN);
            return RaceNative.checkCreate(r, out.getLong(0), err.getString(0));
        }
    }

    @Override public void setDelayRange(long run, long minNs, long maxNs) {
        if (LibGpcrace.gpcrace_gpc_set_delay_range(run, minNs, maxNs) < 0)
            throw new IllegalArgumentException("delay range " + minNs + ".." + maxNs + " ns: need 0 <= min <= max");
    }

    @Override public void armBatch(long run, long rounds, long buffer, int mode) {
        if (LibGpcrace.gpcrace_gpc_arm_batch(run, rounds, buffer, mode) < 0)
            throw new IllegalStateException("gpcrace_gpc_arm_batch(" + rounds + " rounds) refused: the run ended (hang or abort)");
    }

    @Override public int runBatch(long run) {
        return RaceNative.checkBatch(LibGpcrace.gpcrace_gpc_run_batch(run), lastError(run));
    }

    @Override public long batchDone(long run) { return LibGpcrace.gpcrace_gpc_batch_done(run); }

    @Override public int actorCpu(long run, int actor) { return LibGpcrace.gpcrace_gpc_actor_cpu(run, actor); }

    @Override public String lastError(long run) { return LibGpcrace.gpcrace_gpc_last_error(run); }

    @Override public void abort(long run) { LibGpcrace.gpcrace_gpc_abort(run); }

    @Override public void destroy(long run) { LibGpcrace.gpcrace_gpc_destroy(run); }

    @Override public int invBegin(long run) { return LibGpcrace.gpcrace_gpc_inv_begin(run); }

    @Override public int invNotifyStart(long run) { return LibGpcrace.gpcrace_gpc_inv_notify_start(run); }

    @Override public int invFinish(long run, int zapErrno) { return LibGpcrace.gpcrace_gpc_inv_finish(run, zapErrno); }

    @Override public long invAddress(long run) { return LibGpcrace.gpcrace_gpc_inv_addr(run); }

    @Override public long invLength(long run) { return LibGpcrace.gpcrace_gpc_inv_len(run); }
}
