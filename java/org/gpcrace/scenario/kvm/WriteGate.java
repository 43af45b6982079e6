package org.gpcrace.scenario.kvm;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Keeps the vCPU actors' stores to the pvclock page out of the mprotect source's read-only window
 * (a Java store to a read-only page would kill the JVM with SIGSEGV; in the kernel, KVM's own
 * write goes through the cache's kernel mapping, which mprotect does not affect). Dekker's
 * handshake on volatile words: the invalidator raises {@code closing}, then waits until no vCPU
 * is inside its store; a vCPU announces its store, then backs off while {@code closing} is up.
 * The vCPU side costs two volatile writes and a read per run when the gate is open.
 */
final class WriteGate {
    private volatile int closing;
    private final AtomicIntegerArray writing;

    WriteGate(int vcpus) { this.writing = new AtomicIntegerArray(vcpus); }

    /** vCPU v: call before its store to the page; returns once the store may go ahead. */
    void enter(int v) {
        while (true) {
            writing.set(v, 1);
            if (closing == 0) return;
            writing.set(v, 0);
            while (closing != 0) Thread.onSpinWait();
        }
    }

    /** vCPU v: after its store. */
    void exit(int v) { writing.set(v, 0); }

    /** The invalidator: returns once no vCPU is storing and none can start until {@link #open()}. */
    void close() {
        closing = 1;
        for (int v = 0; v < writing.length(); v++) while (writing.get(v) != 0) Thread.onSpinWait();
    }

    void open() { closing = 0; }
}
