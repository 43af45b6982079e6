package org.gpcrace.bridge.actor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.gpcrace.bridge.NativeBridge;

/**
 * One gpcrace-actor process and its control block. Spawned from a thread of its own that lives
 * as long as the process (PR_SET_PDEATHSIG fires when the spawning thread ends, not only the
 * JVM), handshaken (magic, version, the header's layout, the same native library version), then
 * driven one request at a time. A call waits on the ack futex in 100 ms slices and checks in
 * between that the process still lives: a dead actor is an {@link ActorDiedException}, never a hang.
 */
final class ActorProcess implements AutoCloseable {
    static final long TICK_NS = 100_000_000L;
    static final long START_TIMEOUT_NS = 10_000_000_000L;

    private final ControlBlock ctl;
    private final Process process;
    private final long pid;
    private final String version;
    private volatile boolean closed;

    ActorProcess(NativeBridge local) {
        ctl = new ControlBlock(local);
        try {
            process = spawn(org.gpcrace.bridge.Executables.path(org.gpcrace.bridge.Executables.ACTOR), ctl);
        } catch (RuntimeException e) {
            ctl.close();
            throw e;
        }
        pid = process.pid();
        try {
            awaitReady();
            checkLayout();
            long hello = call(Op.HELLO);
            String actorVersion = ctl.string(ControlBlock.STR, ControlBlock.STR_BYTES);
            if (hello != pid) throw new IllegalStateException("the actor answered as pid " + hello + ", started as " + pid);
            String mine = local.helperVersion();
            if (!actorVersion.equals(mine) || ctl.getLong(ControlBlock.RET + 8) != local.helperAbiVersion()) {
                throw new IllegalStateException("the actor is built from another native library (" + actorVersion + ", JVM has " + mine
                        + "): rebuild with make");
            }
        } catch (RuntimeException e) {
            destroy();
            throw e;
        }
        version = ctl.string(ControlBlock.STR, ControlBlock.STR_BYTES);
    }

    private static Process spawn(Path exe, ControlBlock ctl) {
        ProcessBuilder pb = new ProcessBuilder(exe.toString(), ctl.path(), Long.toString(ControlBlock.BYTES),
                Long.toString(ProcessHandle.current().pid()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT);
        CompletableFuture<Process> started = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("gpcrace-actor-parent").start(() -> {
            Process p;
            try {
                p = pb.start();
            } catch (IOException | RuntimeException e) {
                started.completeExceptionally(e);
                return;
            }
            started.complete(p);
            // stay alive with the process: the actor's PR_SET_PDEATHSIG follows this thread
            while (true) {
                try {
                    p.waitFor();
                    return;
                } catch (InterruptedException ignored) {
                    // keep waiting: ending this thread would kill the actor
                }
            }
        });
        try {
            return started.get(START_TIMEOUT_NS, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot start " + exe + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + exe);
        } catch (TimeoutException e) {
            throw new IllegalStateException(exe + " did not start within 10 s");
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT_NS;
        while (ctl.intAcquire(ControlBlock.READY) == 0) {
            if (!process.isAlive()) throw died("start-up");
            if (System.nanoTime() > deadline) throw new IllegalStateException("the actor (pid " + process.pid() + ") did not attach within 10 s");
            ctl.futexWait(ControlBlock.READY, 0, TICK_NS);
        }
        if (ctl.getLong(ControlBlock.MAGIC) != ControlBlock.MAGIC_VALUE || ctl.getInt(ControlBlock.VERSION) != ControlBlock.VERSION_VALUE) {
            throw new IllegalStateException("the actor's control block has magic 0x" + Long.toHexString(ctl.getLong(ControlBlock.MAGIC))
                    + " version " + ctl.getInt(ControlBlock.VERSION) + ": rebuild with make");
        }
    }

    private void checkLayout() {
        int n = ctl.getInt(ControlBlock.LAYOUT_COUNT);
        List<String> bad = new ArrayList<>();
        if (n != ControlBlock.EXPECTED_LAYOUT.length) bad.add(n + " layout entries, Java expects " + ControlBlock.EXPECTED_LAYOUT.length);
        for (int i = 0; i < Math.min(n, ControlBlock.EXPECTED_LAYOUT.length); i++) {
            long off = ctl.getLong(ControlBlock.LAYOUT + 8L * i);
            if (off != ControlBlock.EXPECTED_LAYOUT[i]) bad.add("entry " + i + " at " + off + ", Java expects " + ControlBlock.EXPECTED_LAYOUT[i]);
        }
        if (!bad.isEmpty()) throw new IllegalStateException("the actor's control block layout differs from Java's: " + bad);
    }

    long pid() { return pid; }
    String version() { return version; }
    ControlBlock ctl() { return ctl; }
    boolean alive() { return !closed && process.isAlive(); }

    /** Runs one request; returns ret[0]. Callers read the rest of ret, err, cpus from {@link #ctl()}. */
    synchronized long call(Op op, long... args) {
        if (closed) throw new IllegalStateException("the actor process was closed");
        if (args.length > 8) throw new IllegalArgumentException("at most 8 arguments");
        ctl.setInt(ControlBlock.OP, op.code());
        for (int i = 0; i < 8; i++) ctl.setLong(ControlBlock.ARG + 8L * i, i < args.length ? args[i] : 0);
        int req = ctl.getInt(ControlBlock.REQ) + 1;
        ctl.intRelease(ControlBlock.REQ, req);
        ctl.futexWake(ControlBlock.REQ);
        for (;;) {
            int ack = ctl.intAcquire(ControlBlock.ACK);
            if (ack == req) break;
            if (!process.isAlive()) throw died(op.name().toLowerCase(java.util.Locale.ROOT));
            ctl.futexWait(ControlBlock.ACK, ack, TICK_NS);
        }
        return ctl.getLong(ControlBlock.RET);
    }

    private ActorDiedException died(String during) {
        String how;
        try {
            int st = process.waitFor(1, TimeUnit.SECONDS) ? process.exitValue() : -1;
            how = st > 128 ? "killed by signal " + (st - 128) : st >= 0 ? "exit status " + st : "state unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            how = "state unknown";
        }
        return new ActorDiedException("the actor process (pid " + process.pid() + ") died during " + during + " (" + how + ")");
    }

    /** Sends a signal (SIGUSR1: abort every batch). */
    void signal(NativeBridge local, int sig) {
        if (process.isAlive()) local.syscall(62 /* kill */, pid, sig, 0, 0, 0, 0);
    }

    @Override public synchronized void close() {
        if (closed) return;
        try {
            if (process.isAlive()) call(Op.EXIT);
        } catch (RuntimeException ignored) {
            // it is ending either way
        }
        destroy();
    }

    /** Ends the process at once, taking no lock (the JVM's exit: a thread may be inside a call). */
    void kill() {
        closed = true;
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
        process.destroyForcibly();
    }

    private void destroy() {
        closed = true;
        try {
            process.getOutputStream().close(); // the actor's stdin hangs up: it leaves at its next tick
        } catch (IOException ignored) {
            // already closed
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        ctl.close();
    }
}
