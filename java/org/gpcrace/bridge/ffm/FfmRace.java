package org.gpcrace.bridge.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import org.gpcrace.bridge.RaceNative;

/** FFM implementation of {@link RaceNative}. No call is critical: batches and steps block. */
final class FfmRace implements RaceNative {
    private static final Ffm.Downcall PROTO_INDEX = Ffm.helper("gpcrace_gpc_protocol_index", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final Ffm.Downcall PROTO_COUNT = Ffm.helper("gpcrace_gpc_protocol_count", FunctionDescriptor.of(JAVA_INT));
    private static final Ffm.Downcall PROTO_ID = Ffm.helper("gpcrace_gpc_protocol_id", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final Ffm.Downcall SOURCE_NAME = Ffm.helper("gpcrace_gpc_source_name", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final Ffm.Downcall PRESERVES = Ffm.helper("gpcrace_gpc_source_preserves_content", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final Ffm.Downcall ROUND_BYTES = Ffm.helper("gpcrace_gpc_round_bytes", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    private static final Ffm.Downcall CREATE = Ffm.helper("gpcrace_gpc_create", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall DELAYS = Ffm.helper("gpcrace_gpc_set_delay_range", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall ARM = Ffm.helper("gpcrace_gpc_arm_batch", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final Ffm.Downcall RUN = Ffm.helper("gpcrace_gpc_run_batch", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final Ffm.Downcall DONE_COUNT = Ffm.helper("gpcrace_gpc_batch_done", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall ACTOR_CPU = Ffm.helper("gpcrace_gpc_actor_cpu", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final Ffm.Downcall LAST_ERROR = Ffm.helper("gpcrace_gpc_last_error", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    private static final Ffm.Downcall ABORT = Ffm.helper("gpcrace_gpc_abort", FunctionDescriptor.ofVoid(JAVA_LONG));
    private static final Ffm.Downcall DESTROY = Ffm.helper("gpcrace_gpc_destroy", FunctionDescriptor.ofVoid(JAVA_LONG));
    private static final Ffm.Downcall INV_BEGIN = Ffm.helper("gpcrace_gpc_inv_begin", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final Ffm.Downcall INV_NOTIFY = Ffm.helper("gpcrace_gpc_inv_notify_start", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final Ffm.Downcall INV_FINISH = Ffm.helper("gpcrace_gpc_inv_finish", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final Ffm.Downcall INV_ADDR = Ffm.helper("gpcrace_gpc_inv_addr", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    private static final Ffm.Downcall INV_LEN = Ffm.helper("gpcrace_gpc_inv_len", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));

    private static final int ERR_LEN = 512;

    @Override public int protocolIndex(String id) {
        try (Arena a = Arena.ofConfined()) {
            return (int) PROTO_INDEX.get().invokeExact(a.allocateFrom(id));
        } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public int protocolCount() {
        try { return (int) PROTO_COUNT.get().invokeExact(); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public String protocolId(int index) {
        try { return Ffm.string((MemorySegment) PROTO_ID.get().invokeExact(index)); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public String sourceName(int source) {
        try { return Ffm.string((MemorySegment) SOURCE_NAME.get().invokeExact(source)); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public boolean sourcePreservesContent(int source, int backing) {
        try { return (int) PRESERVES.get().invokeExact(source, backing) != 0; } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public long roundBytes(int readers) {
        try { return (long) ROUND_BYTES.get().invokeExact(readers); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public long create(long config) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            MemorySegment err = a.allocate(ERR_LEN);
            int r = (int) CREATE.get().invokeExact(config, out.address(), err.address(), (long) ERR_LEN);
            return RaceNative.checkCreate(r, out.get(JAVA_LONG, 0), err.getString(0));
        } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public void setDelayRange(long run, long minNs, long maxNs) {
        int r;
        try { r = (int) DELAYS.get().invokeExact(run, minNs, maxNs); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw new IllegalArgumentException("delay range " + minNs + ".." + maxNs + " ns: need 0 <= min <= max");
    }

    @Override public void armBatch(long run, long rounds, long buffer, int mode) {
        int r;
        try { r = (int) ARM.get().invokeExact(run, rounds, buffer, mode); } catch (Throwable t) { throw Ffm.rethrow(t); }
        if (r < 0) throw new IllegalStateException("gpcrace_gpc_arm_batch(" + rounds + " rounds) refused: the run ended (hang or abort)");
    }

    @Override public int runBatch(long run) {
        int r;
        try { r = (int) RUN.get().invokeExact(run); } catch (Throwable t) { throw Ffm.rethrow(t); }
        return RaceNative.checkBatch(r, lastError(run));
    }

    @Override public long batchDone(long run) {
        try { return (long) DONE_COUNT.get().invokeExact(run); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public int actorCpu(long run, int actor) {
        try { return (int) ACTOR_CPU.get().invokeExact(run, actor); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public String lastError(long run) {
        try { return Ffm.string((MemorySegment) LAST_ERROR.get().invokeExact(run)); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public void abort(long run) {
        try { ABORT.get().invokeExact(run); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public void destroy(long run) {
        try { DESTROY.get().invokeExact(run); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public int invBegin(long run) {
        try { return (int) INV_BEGIN.get().invokeExact(run); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public int invNotifyStart(long run) {
        try { return (int) INV_NOTIFY.get().invokeExact(run); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public int invFinish(long run, int zapErrno) {
        try { return (int) INV_FINISH.get().invokeExact(run, zapErrno); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public long invAddress(long run) {
        try { return (long) INV_ADDR.get().invokeExact(run); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }

    @Override public long invLength(long run) {
        try { return (long) INV_LEN.get().invokeExact(run); } catch (Throwable t) { throw Ffm.rethrow(t); }
    }
}
