package org.gpcrace.bridge.actor;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.bridge.RaceNative;

/**
 * The race engine in the actor: create / arm / run_batch / destroy run there, on the guest
 * memory the actor bridge mapped there. The configuration is copied in; after each batch the
 * round records it wrote (batch_done of them) are copied into the caller's buffer, and the CPUs
 * each actor thread ran on and the last error are kept for the queries that follow. The
 * protocol and source tables are the same library's: they are answered in the JVM.
 */
final class ActorRace implements RaceNative {
    private static final int SIGUSR1 = 10;

    /** What the JVM side keeps of a run that lives in the actor. */
    private static final class Run {
        final int generation;
        final ActorProcess process; // for abort, which must not wait for the running batch
        final int readers;
        final int watchdogCpu;
        long buffer;
        long done;
        String lastError = "";
        final int[] actorCpu = new int[Layouts.GPC_MAX_ACTORS];

        Run(int generation, ActorProcess process, int readers, int watchdogCpu) {
            this.generation = generation;
            this.process = process;
            this.readers = readers;
            this.watchdogCpu = watchdogCpu;
            java.util.Arrays.fill(actorCpu, -1);
        }
    }

    private final ActorBridge bridge;
    private final RaceNative tables;
    /** Read without a lock by abort (a batch holds the bridge's lock); changed under the bridge's lock, the one lock of this class. */
    private final Map<Long, Run> runs = new ConcurrentHashMap<>();

    ActorRace(ActorBridge bridge, RaceNative tables) {
        this.bridge = bridge;
        this.tables = tables;
    }

    void forgetRuns() { runs.clear(); }

    @Override public int protocolIndex(String id) { return tables.protocolIndex(id); }
    @Override public int protocolCount() { return tables.protocolCount(); }
    @Override public String protocolId(int index) { return tables.protocolId(index); }
    @Override public String sourceName(int source) { return tables.sourceName(source); }
    @Override public boolean sourcePreservesContent(int source, int backing) { return tables.sourcePreservesContent(source, backing); }
    @Override public long roundBytes(int readers) { return tables.roundBytes(readers); }

    @Override public long create(long config) {
        synchronized (bridge) {
            ActorProcess a = bridge.actor();
            MemorySegment src = MemorySegment.ofAddress(config).reinterpret(Layouts.GPC_CONFIG.byteSize());
            MemorySegment.copy(src, 0, a.ctl().segment(), ControlBlock.CFG_OFF, Layouts.GPC_CONFIG.byteSize());
            int r = (int) a.call(Op.GPC_CREATE);
            long run = a.ctl().getLong(ControlBlock.RET + 8);
            String err = a.ctl().string(ControlBlock.ERR, ControlBlock.ERR_BYTES);
            RaceNative.checkCreate(r, run, err);
            int readers = src.get(ValueLayout.JAVA_INT, Layouts.GPC_CONFIG.byteOffset(groupElement("readers")));
            int cpu0 = src.get(ValueLayout.JAVA_INT, Layouts.GPC_CONFIG.byteOffset(groupElement("cpus")));
            runs.put(run, new Run(bridge.generation(), a, readers, cpu0));
            return run;
        }
    }

    /** The run, if it belongs to the live actor; a run of a dead actor is an error naming that. */
    private Run run(long run) {
        Run r = runs.get(run);
        if (r == null || r.generation != bridge.generation()) {
            throw new IllegalStateException("gpc run 0x" + Long.toHexString(run) + " is not a run of the live actor process");
        }
        return r;
    }

    @Override public void setDelayRange(long run, long minNs, long maxNs) {
        long r;
        synchronized (bridge) {
            run(run);
            r = bridge.actor().call(Op.GPC_DELAYS, run, minNs, maxNs);
        }
        if (r < 0) throw new IllegalArgumentException("delay range " + minNs + ".." + maxNs + " ns: need 0 <= min <= max");
    }

    @Override public void armBatch(long run, long rounds, long buffer, int mode) {
        Run r;
        long res;
        synchronized (bridge) { // arm and run of one batch meet the shared record area in turn, whoever else uses the actor
            r = run(run);
            res = bridge.actor().call(Op.GPC_ARM, run, rounds, ControlBlock.DATA_OFF, mode);
        }
        if (res < 0) throw new IllegalStateException("gpcrace_gpc_arm_batch(" + rounds + " rounds) refused in the actor: the run ended"
                + " (hang or abort), or the batch does not fit the shared record area");
        r.buffer = buffer;
        r.done = 0;
    }

    @Override public int runBatch(long run) {
        Run r;
        int status;
        synchronized (bridge) {
            r = run(run);
            ActorProcess a = bridge.actor();
            status = (int) a.call(Op.GPC_RUN_BATCH, run, r.watchdogCpu);
            ControlBlock ctl = a.ctl();
            r.done = ctl.getLong(ControlBlock.RET + 8);
            r.lastError = ctl.string(ControlBlock.ERR, ControlBlock.ERR_BYTES);
            for (int i = 0; i < r.actorCpu.length; i++) r.actorCpu[i] = ctl.getInt(ControlBlock.ACTOR_CPU + 4L * i);
            // the records first: a failed batch's finished rounds are judged too
            long bytes = r.done * roundBytes(r.readers);
            if (bytes > 0) MemorySegment.copy(ctl.segment(), ControlBlock.DATA_OFF, MemorySegment.ofAddress(r.buffer).reinterpret(bytes), 0, bytes);
        }
        return RaceNative.checkBatch(status, r.lastError);
    }

    @Override public long batchDone(long run) { return run(run).done; }

    @Override public int actorCpu(long run, int actor) {
        Run r = run(run);
        return actor >= 0 && actor < r.actorCpu.length ? r.actorCpu[actor] : -1;
    }

    @Override public String lastError(long run) { return run(run).lastError; }

    /** Ends the running batch as its watchdog would: a signal, since the actor's only thread that takes requests is busy running it. */
    @Override public void abort(long run) {
        Run r = runs.get(run);
        if (r != null) r.process.signal(bridge.local(), SIGUSR1);
    }

    @Override public void destroy(long run) {
        synchronized (bridge) {
            Run r = runs.remove(run);
            if (r == null || r.generation != bridge.generation()) return; // gone with its actor
            bridge.actor().call(Op.GPC_DESTROY, run);
        }
    }

    private static UnsupportedOperationException javaInvalidator() {
        return new UnsupportedOperationException("--invalidator java needs --isolation jvm: the Java invalidator is a JVM thread,"
                + " and no JVM thread runs in the actor's address space");
    }

    @Override public int invBegin(long run) { throw javaInvalidator(); }
    @Override public int invNotifyStart(long run) { throw javaInvalidator(); }
    @Override public int invFinish(long run, int zapErrno) { throw javaInvalidator(); }
    @Override public long invAddress(long run) { throw javaInvalidator(); }
    @Override public long invLength(long run) { throw javaInvalidator(); }
}
