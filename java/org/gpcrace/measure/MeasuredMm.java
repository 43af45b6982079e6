package org.gpcrace.measure;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.gpcrace.bridge.Isolated;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.NativeCallException;
import org.gpcrace.result.LatencyExtra;

/**
 * The address space the probes measure: the actor process's (--isolation process) or the JVM's
 * own (--isolation jvm), and how to tell which threads can run in it. kcmp(KCMP_VM) compares the
 * JVM's mm with the measured one directly; /proc/PID/task lists the threads that share it.
 */
public final class MeasuredMm {
    private static final long SYS_KCMP = 312;
    private static final int KCMP_VM = 1;

    private final NativeBridge bridge;
    private final Isolated isolated; // null: the JVM itself

    MeasuredMm(NativeBridge bridge) {
        this.bridge = bridge;
        this.isolated = bridge instanceof Isolated i ? i : null;
    }

    public boolean isolated() { return isolated != null; }

    public long pid() { return isolated != null ? isolated.pid() : ProcessHandle.current().pid(); }

    /** /proc/PID of the measured process ("/proc/self" in the JVM). */
    public String procDir() { return isolated != null ? "/proc/" + isolated.pid() : "/proc/self"; }

    /** The bridge of the JVM itself (for what only runs in the JVM: its own calls, the bridge probe). */
    public NativeBridge jvmBridge() { return isolated != null ? isolated.local() : bridge; }

    /** kcmp(JVM, measured, KCMP_VM): true when they share one mm, null when the kernel cannot tell (no kcmp, no permission). */
    public Boolean sharesJvmMm() { return kcmpVm(ProcessHandle.current().pid(), pid()); }

    /** Threads of the measured process now (for the JVM: every JVM thread, all of which can run in the mm). */
    public int tasks() {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of(procDir(), "task"))) {
            int n = 0;
            for (Path ignored : ds) n++;
            return n;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The executable of the measured process (its file name). */
    public String exe() {
        try {
            String name = Files.readSymbolicLink(Path.of(procDir(), "exe")).getFileName().toString();
            return name.replaceAll("-[0-9a-f]{16}$", ""); // an extracted copy: gpcrace-actor-HASH
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * The JVM threads that share the measured mm, asked of the kernel thread by thread
     * (kcmp(tid, measured pid, KCMP_VM) == 0). Without kcmp: none for the actor process (a process
     * of its own cannot share the JVM's mm), every JVM thread for the JVM.
     */
    public List<Long> jvmThreadsSharing() {
        List<Long> out = new java.util.ArrayList<>();
        long target = pid();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : ds) {
                long tid = Long.parseLong(t.getFileName().toString());
                Boolean same = kcmpVm(tid, target);
                if (same == null ? isolated == null : same) out.add(tid);
            }
        } catch (IOException e) {
            // the JVM's task list is always readable; nothing to report otherwise
        }
        return out;
    }

    private Boolean kcmpVm(long a, long b) {
        try {
            return jvmBridge().syscall(SYS_KCMP, a, b, KCMP_VM, 0, 0, 0) == 0;
        } catch (NativeCallException e) {
            return null; // the thread ended, no kcmp, or no permission
        }
    }

    public LatencyExtra.IsolationInfo info() {
        Boolean shares = sharesJvmMm();
        return new LatencyExtra.IsolationInfo(isolated() ? "process" : "jvm", pid(), ProcessHandle.current().pid(), exe(), shares,
                jvmThreadsSharing().size());
    }

    /**
     * Where the mm's threads ran during the last probe call: the actor reports every one of its
     * threads; in the JVM, the probe's own threads (measuring CPU and pinned helpers) and the CPU
     * every JVM thread last ran on, read from /proc/self/task now.
     */
    List<Integer> cpusOfLastCall(int measuringCpuSeen, List<Integer> helperCpus) {
        if (isolated != null) return isolated.lastCpus();
        TreeSet<Integer> cpus = new TreeSet<>();
        if (measuringCpuSeen >= 0) cpus.add(measuringCpuSeen);
        for (int h : helperCpus) if (h >= 0) cpus.add(h);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : ds) {
                int c = lastCpu(t.resolve("stat"));
                if (c >= 0) cpus.add(c);
            }
        } catch (IOException e) {
            // the threads' CPUs stay unknown; the probe's own are recorded
        }
        return List.copyOf(cpus);
    }

    /** Threads the mm had during the last call: the actor's count, or every JVM thread. */
    int threadsOfLastCall() { return isolated != null ? isolated.lastThreads() : Math.max(0, tasks()); }

    /** Field 39 of /proc/PID/task/TID/stat: the CPU the thread last ran on. */
    static int lastCpu(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return f.length > 36 ? Integer.parseInt(f[36]) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
