package org.gpcrace.bridge.actor;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gpcrace.bridge.AbiDescription;
import org.gpcrace.bridge.Isolated;
import org.gpcrace.bridge.KernelNative;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.NativeCallException;
import org.gpcrace.bridge.ProbeNative;
import org.gpcrace.bridge.RaceNative;
import org.gpcrace.bridge.Linux;

/**
 * A {@link NativeBridge} whose memory calls, probes and race batches run in a gpcrace-actor
 * process: guest and probe memory is mapped in the actor's address space, and that address space
 * holds the actor's threads and nothing else. The JVM talks to the actor through the bridge it
 * wraps (FFM or JNA): the control block is created, mapped and waited on with that bridge's calls.
 *
 * Pointer arguments are copied through the control block (a probe's config in, its out struct
 * and samples back; a batch's round records back after the batch), so callers keep their own
 * buffers. Calls that act on the calling JVM thread, or on JVM memory, have no meaning here and
 * refuse (pinToCpu, open, ioctl, the Java invalidator's steps, the kernel helpers).
 *
 * The actor is started on first use. If it dies, the call that waited throws
 * {@link ActorDiedException}; the next call starts a new actor, and memory, fds and runs of the
 * dead one are forgotten (closing them is a no-op, never a call on the new actor's objects).
 */
public final class ActorBridge implements NativeBridge, Isolated {
    private static final Map<String, ActorBridge> SHARED = new HashMap<>();
    private static boolean hooked;

    private final NativeBridge local;
    private final ActorRace race;
    private final ActorProbe probe;
    private volatile ActorProcess actor; // volatile: the exit hook reads it without the lock
    private int generation;
    private long clockHz = -1;
    private int homeCpu = -1;
    private final Map<Long, Long> mappings = new HashMap<>(); // address -> length, this actor's
    private final Set<Integer> fds = new HashSet<>();

    public ActorBridge(NativeBridge local) {
        this.local = local;
        this.race = new ActorRace(this, local.race());
        this.probe = new ActorProbe(this, local.probe());
    }

    /** One actor bridge per wrapped bridge for the whole JVM, its actor ended at exit. */
    public static synchronized ActorBridge shared(NativeBridge local) {
        if (!hooked) {
            hooked = true;
            Runtime.getRuntime().addShutdownHook(new Thread(ActorBridge::closeAll, "gpcrace-actor-exit"));
        }
        return SHARED.computeIfAbsent(local.name(), n -> new ActorBridge(local));
    }

    /** At exit: ends every actor without waiting for a lock (a batch, or a stuck thread, may hold its bridge's). */
    private static void closeAll() {
        List<ActorBridge> all;
        synchronized (ActorBridge.class) {
            all = List.copyOf(SHARED.values());
        }
        for (ActorBridge b : all) {
            ActorProcess a = b.actor;
            if (a != null) a.kill();
        }
    }

    /** The bridge the JVM side uses to reach the actor. */
    @Override public NativeBridge local() { return local; }

    /** The live actor, started (again) if needed; state of a dead actor is forgotten. */
    synchronized ActorProcess actor() {
        if (actor != null && actor.alive()) return actor;
        if (actor != null) {
            actor.close();
            generation++;
            mappings.clear();
            fds.clear();
            race.forgetRuns();
        }
        actor = new ActorProcess(local);
        if (clockHz >= 0) actor.call(Op.CLOCK_USE, clockHz);
        if (homeCpu >= 0) actor.call(Op.PIN, homeCpu);
        return actor;
    }

    synchronized int generation() { return generation; }

    /** The actor's pid (starting it if needed). */
    @Override public synchronized long pid() { return actor().pid(); }

    /** CPUs an actor thread ran on during the last probe call or batch. */
    @Override public synchronized List<Integer> lastCpus() { return actor().ctl().cpus(); }

    /** Threads the actor had alive at most during the last probe call or batch. */
    @Override public synchronized int lastThreads() { return actor().ctl().getInt(ControlBlock.THREADS); }

    /** The actor's main thread waits for requests on this CPU (-1: any), so that it never wakes on a CPU a probe keeps free. */
    @Override public synchronized void home(int cpu) {
        homeCpu = cpu;
        check(actor().call(Op.PIN, cpu), "sched_setaffinity(actor, cpu " + cpu + ")");
    }

    synchronized void rememberClock(long hz) { clockHz = hz; }

    /** Stops the actor (the next call starts a new one). */
    public synchronized void close() {
        if (actor != null) actor.close();
    }

    /** A failed call's errno as the exception the JVM bridges throw. */
    long check(long r, String call) {
        if (r < 0 && r > -4096) {
            int errno = (int) -r;
            throw new NativeCallException(call + " in the actor", errno, local.errnoName(errno), local.strerror(errno));
        }
        return r;
    }

    @Override public String name() { return local.name(); }

    // ---- memory: in the actor's address space

    @Override public synchronized long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        long a = check(actor().call(Op.MMAP, addr, length, prot, flags, fd, offset), "mmap(" + length + ", prot=" + prot
                + ", flags=0x" + Integer.toHexString(flags) + ", fd=" + fd + ")");
        mappings.put(a, length);
        return a;
    }

    @Override public synchronized void munmap(long addr, long length) {
        if (mappings.remove(addr) == null) return; // mapped by an actor that is gone, with its address space
        check(actor().call(Op.MUNMAP, addr, length), "munmap(0x" + Long.toHexString(addr) + ", " + length + ")");
    }

    @Override public synchronized void madvise(long addr, long length, int advice) {
        check(actor().call(Op.MADVISE, addr, length, advice), "madvise(0x" + Long.toHexString(addr) + ", " + length + ", "
                + Linux.adviceName(advice) + ")");
    }

    @Override public synchronized void mprotect(long addr, long length, int prot) {
        check(actor().call(Op.MPROTECT, addr, length, prot), "mprotect(0x" + Long.toHexString(addr) + ", " + length + ")");
    }

    @Override public synchronized void mlock(long addr, long length) {
        check(actor().call(Op.MLOCK, addr, length, 1), "mlock(0x" + Long.toHexString(addr) + ", " + length + ")");
    }

    @Override public synchronized void munlock(long addr, long length) {
        check(actor().call(Op.MLOCK, addr, length, 0), "munlock(0x" + Long.toHexString(addr) + ", " + length + ")");
    }

    // ---- files: the actor's descriptors

    @Override public synchronized int memfdCreate(String name, int flags) {
        ActorProcess a = actor();
        a.ctl().setString(ControlBlock.STR, ControlBlock.STR_BYTES, name);
        int fd = (int) check(a.call(Op.MEMFD_CREATE, flags), "memfd_create(\"" + name + "\")");
        fds.add(fd);
        return fd;
    }

    @Override public synchronized void ftruncate(int fd, long length) {
        check(actor().call(Op.FTRUNCATE, fd, length), "ftruncate(fd=" + fd + ", " + length + ")");
    }

    @Override public synchronized void fallocate(int fd, int mode, long offset, long length) {
        check(actor().call(Op.FALLOCATE, fd, mode, offset, length), "fallocate(fd=" + fd + ", mode=0x" + Integer.toHexString(mode) + ")");
    }

    @Override public synchronized void close(int fd) {
        if (!fds.remove(fd)) return; // opened by an actor that is gone, with its descriptors
        check(actor().call(Op.CLOSE, fd), "close(" + fd + ")");
    }

    @Override public int open(String path, int flags) { throw jvmOnly("open"); }
    @Override public long pread(int fd, long buf, long count, long offset) { throw jvmOnly("pread"); }
    @Override public long write(int fd, long buf, long count) { throw jvmOnly("write"); }
    @Override public long read(int fd, long buf, long count) { throw jvmOnly("read"); }
    @Override public long ioctl(int fd, long request, long arg) { throw jvmOnly("ioctl"); }
    @Override public long syscall(long number, long a0, long a1, long a2, long a3, long a4, long a5) { throw jvmOnly("syscall"); }
    @Override public void pinToCpu(int cpu) { throw jvmOnly("pinToCpu (it pins a JVM thread)"); }
    @Override public int currentCpu() { throw jvmOnly("currentCpu (it asks about a JVM thread)"); }

    /** The actor's pid: the process these calls act in. */
    @Override public int getpid() { return (int) pid(); }

    private static UnsupportedOperationException jvmOnly(String call) {
        return new UnsupportedOperationException(call + " is not available with --isolation process (it would act in the JVM,"
                + " not in the actor's address space): use --isolation jvm");
    }

    // ---- the helper's identity: the same library in both processes (checked when the actor starts)

    @Override public String helperVersion() { return local.helperVersion(); }
    @Override public int helperAbiVersion() { return local.helperAbiVersion(); }
    @Override public long noop(long x) { return local.noop(x); }
    @Override public String errnoName(int errno) { return local.errnoName(errno); }
    @Override public String strerror(int errno) { return local.strerror(errno); }
    @Override public AbiDescription abiDescription() { return local.abiDescription(); }

    @Override public RaceNative race() { return race; }
    @Override public ProbeNative probe() { return probe; }
    @Override public KernelNative kernel() { throw jvmOnly("the kernel helpers (pin, kvm)"); }
}
