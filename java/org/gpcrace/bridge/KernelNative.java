package org.gpcrace.bridge;

/**
 * The C helper's kernel domain (native/include/gpcrace.h, section "kernel"): long-term page
 * references for the pin scenario and the kvm-pvclock storm loop. Two implementations (FFM, JNA)
 * with the same results. Structs are Java-allocated ({@link Layouts#GPCRACE_URING},
 * {@link Layouts#GPCRACE_STORM}) and passed as raw addresses. A failure throws
 * {@link NativeCallException} naming the call and its errno, as the helper returned it (-errno).
 */
public interface KernelNative {
    /** pipe2(O_CLOEXEC): {read end, write end}. */
    int[] pipe();

    /** vmsplice of [addr, addr+len) into the pipe (page references, no gift); bytes spliced. */
    long vmsplice(int pipeWriteFd, long addr, long len);

    /** io_uring_setup + ring mmaps into the struct at {@code uring}. */
    void uringOpen(long uring, int entries);

    /** IORING_REGISTER_BUFFERS of [addr, addr+len) as buffer 0 (FOLL_LONGTERM pins). */
    void uringRegister(long uring, long addr, long len);

    /** IORING_UNREGISTER_BUFFERS. */
    void uringUnregister(long uring);

    /** One IORING_OP_WRITE_FIXED from registered buffer 0 to fd at offset, waited for; bytes written. */
    long uringWriteFixed(long uring, int fd, long addr, long len, long offset);

    /** Unmaps the rings and closes the ring fd; a no-op on a closed ring. */
    void uringClose(long uring);

    /** Runs the storm loop on the calling thread until the struct's stop flag is set. */
    void storm(long storm);

    /** kvm-pvclock's fork source: fork, the parent writes the byte at addr (COW break), the child is reaped; System.nanoTime right after the write. */
    long forkCow(long addr);

    /** A do-nothing handler for {@code sig} without SA_RESTART: a kicked thread's blocking call returns EINTR. */
    void kickInstall(int sig);

    /** tgkill(getpid(), tid, sig). */
    void kick(int tid, int sig);

    /** The calling thread's id (gettid). */
    int gettid();

    /** gpcrace_fairness_init: the count-wait and sleeping rwlock inside the struct, abort = its stop word. */
    void fairnessInit(long fairness);

    /** One memslot-fairness invalidator's loop (index 0..N-1), on the calling thread, until stop. */
    void fairnessInvalidator(long fairness, int index);

    /** The memslot-fairness updater: up to n waits into {@code waits} (int64 each, negative = censored); the count done. */
    long fairnessUpdater(long fairness, long waits, long n, long budgetNs);

    /**
     * gpcrace_fr_run: one fault-in-reader run on the helper's own threads, blocking until it ends
     * (the struct's stop word ends it early). Returns the helper's result as is: 0, or -errno with
     * the result struct saying why (its {@code missing} field names a missing capability).
     */
    int faultReaderRun(long config, long result);

    /**
     * gpcrace_gpc_pressure_run: one memory-pressure run (a child process in the memory cgroup the
     * config names, watched from the calling thread), blocking until it ends (the config's stop
     * word ends it after the current round). Returns the rounds written to {@code rounds}, or
     * -errno with a one-line reason in {@code err}; the first wait chain goes to {@code chain}.
     */
    long pressureRun(long config, long rounds, long chain, long chainLen, long err, long errLen);

    /** The result convention of the helper's kernel section: >= 0 is success, -errno a failure. */
    static long check(NativeBridge bridge, long result, String call) {
        if (result >= 0) return result;
        int errno = (int) -result;
        throw new NativeCallException(call, errno, bridge.errnoName(errno), bridge.strerror(errno));
    }
}
