package org.gpcrace.scenario.kvm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.gpcrace.bridge.CapabilityMissingException;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.result.Expectation;
import org.gpcrace.result.KickExtra;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.Table;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.GuestMemory;
import org.gpcrace.bridge.Linux;
import org.gpcrace.sys.PageInfo;
import org.gpcrace.sys.Pagemap;
import org.gpcrace.sys.ProcFiles;
import org.gpcrace.sys.kvm.Kvm;
import org.gpcrace.sys.kvm.KvmApi;
import org.gpcrace.sys.kvm.KvmTrace;
import org.gpcrace.sys.kvm.KvmVcpu;
import org.gpcrace.sys.kvm.KvmVm;

/**
 * The kick out of guest mode, on the real kernel. A VM with an in-kernel irqchip (so a guest hlt
 * blocks inside KVM_RUN) and one real-mode vCPU whose loop increments a word of its loop page and
 * reads a flag; with the flag set it marks "halting" and executes hlt (interrupts off: it sleeps in
 * kvm_vcpu_block until its thread gets a signal). The invalidation is MADV_DONTNEED of the loop
 * page: KVM's notifier zaps the page's SPTE and kvm_flush_remote_tlbs() must make every vCPU that
 * is in guest mode leave it (KVM_REQ_TLB_FLUSH with KVM_REQUEST_WAIT: an IPI, waited for).
 * Timed with the vCPU
 * <ul>
 *   <li>in guest mode (its loop writes the page, whose SPTE is back before each sample),</li>
 *   <li>halted inside KVM_RUN (blocked: no IPI is needed, the request waits for its next entry),</li>
 *   <li>not running (its thread is back in userspace, parked).</li>
 * </ul>
 * With the trace: the vCPU thread's first exit after the call began ({@link #EXIT_EVENTS}; whether it
 * came before the call returned), its reason; and the TLB flushes. Guest code (real mode, DS = 0):
 * <pre>
 *   0000 FF 06 00 10     inc word [0x1000]      ; the loop page
 *   0004 A0 00 08        mov al, [0x0800]       ; the flag
 *   0007 84 C0           test al, al
 *   0009 74 F5           jz 0000
 *   000B C6 06 01 08 01  mov byte [0x0801], 1   ; "halting"
 *   0010 F4              hlt
 *   0011 EB ED           jmp 0000
 * </pre>
 */
final class KickTest {
    static final String NAME = PvclockScenario.SCENARIO + "-kick";
    static final int SIGNAL = 34 + 5; // SIGRTMIN + 5: the JVM uses no real-time signal
    static final long FLAG = 0x800, HALTING = 0x801, LOOP_GPA = 0x1000;
    private static final byte[] CODE = {(byte) 0xff, 0x06, 0x00, 0x10, (byte) 0xa0, 0x00, 0x08, (byte) 0x84, (byte) 0xc0, 0x74, (byte) 0xf5,
            (byte) 0xc6, 0x06, 0x01, 0x08, 0x01, (byte) 0xf4, (byte) 0xeb, (byte) 0xed};
    static final String[] STATES = {"guest mode", "halted", "not running"};
    /**
     * What marks the vCPU leaving guest mode, on its own thread: kvm:kvm_exit where the vendor module
     * traces it (VMX, SVM); under a backend that does not (PVM, whose guest runs deprivileged on the
     * host: any interrupt switches back to the host), the interrupt handler that ran on the vCPU's
     * thread: KVM's kick (kvm_kick_many_cpus: a call-function IPI) or the process's own TLB shootdown.
     */
    static final List<String> EXIT_EVENTS = List.of("kvm/kvm_exit", "irq_vectors/call_function_entry",
            "irq_vectors/call_function_single_entry", "irq_vectors/reschedule_entry");

    private final NativeBridge bridge;
    private final PvclockConfig c;
    private final BooleanSupplier stop;

    KickTest(NativeBridge bridge, PvclockConfig c, BooleanSupplier stop) {
        this.bridge = bridge;
        this.c = c;
        this.stop = stop;
    }

    /** The vCPU's thread: KVM_RUN until told to park or to stop; a kick (signal) ends a halted KVM_RUN. */
    private static final class VcpuThread extends Actor {
        final NativeBridge nb;
        final KvmVcpu vcpu;
        volatile boolean park, parked, resume;
        volatile int tid;

        VcpuThread(NativeBridge b, int cpu, KvmVcpu vcpu) {
            super("kick-vcpu", b, cpu);
            this.nb = b;
            this.vcpu = vcpu;
        }

        @Override protected void body() {
            tid = nb.kernel().gettid();
            while (!stopping()) {
                if (park) {
                    parked = true;
                    // asleep until unparked: a thread that keeps waking up would take the process's TLB shootdowns
                    while (park && !stopping()) java.util.concurrent.locks.LockSupport.park(this);
                    parked = false;
                    continue;
                }
                if (resume) {
                    vcpu.setMpState(KvmApi.KVM_MP_STATE_RUNNABLE);
                    resume = false;
                }
                int exit = vcpu.runOnce();
                if (exit != KvmApi.KVM_EXIT_INTR) throw new IllegalStateException("kick guest: KVM_RUN returned " + KvmApi.exitName(exit));
            }
        }
    }

    /** The invalidating side, pinned to the invalidator's CPU: drives the states and times the invalidations. */
    private final class Coordinator extends Actor {
        final Sampler s;
        final long[][][] windows = new long[3][][];
        final Histogram[] dur = new Histogram[3];

        Coordinator(Sampler s) {
            super("kick-invalidator", bridge, c.invalidatorCpu());
            this.s = s;
        }

        @Override protected void body() {
            s.waitGuestTouched(2_000_000_000L);
            for (int st = 0; st < 3 && !stopping() && !KickTest.this.stop.getAsBoolean(); st++) {
                dur[st] = Histograms.ns();
                windows[st] = s.samples(st, c.kickSamples(), dur[st]);
            }
        }
    }

    TestResult run() throws InterruptedException {
        Kvm kvm = Kvm.open(bridge);
        try (kvm; KvmVm vm = kvm.createVm(); GuestMemory mem = GuestMemory.map(bridge, Backing.ANON, 2); Pagemap pm = new Pagemap()) {
            vm.createIrqchip();
            MemorySegment code = mem.segment();
            for (int i = 0; i < CODE.length; i++) code.set(JAVA_BYTE, i, CODE[i]);
            vm.setMemoryRegion(0, 0, mem.bytes(), mem.base());
            KvmVcpu vcpu = vm.createVcpu(0);
            vcpu.enterRealMode(0);
            try {
                bridge.kernel().kickInstall(SIGNAL);
            } catch (RuntimeException e) {
                throw new CapabilityMissingException("cannot install the kick signal's handler (" + e.getMessage() + "); run on Linux with real-time signals");
            }
            long loop = mem.addressOf(1);
            VcpuThread t = new VcpuThread(bridge, c.vcpuCpu(), vcpu);
            Map<String, String> events = new LinkedHashMap<>(KvmTrace.PVCLOCK_EVENTS);
            for (String e : EXIT_EVENTS) events.put(e, ""); // filtered by the vCPU thread's id once it is known
            try (Tracing trace = Tracing.open(c.trace(), events, PvclockScenario.TRACE_KB_PER_CPU)) {
                t.start();
                while (t.tid == 0 && t.isAlive()) Thread.onSpinWait();
                for (String e : EXIT_EVENTS) trace.filter(e, "common_pid == " + t.tid);
                trace.start();
                Coordinator co = new Coordinator(new Sampler(mem, loop, pm, t));
                long t0 = System.nanoTime();
                try {
                    co.start();
                    while (co.isAlive()) {
                        co.join(20);
                        if (!t.isAlive()) co.requestStop();
                    }
                } finally {
                    t.park = false;
                    t.requestStop();
                    t.unpark();
                    code.set(JAVA_BYTE, FLAG, (byte) 1); // a spinning guest halts, so the kick below ends its KVM_RUN
                    for (int i = 0; i < 200 && t.isAlive(); i++) {
                        if (t.tid != 0) bridge.kernel().kick(t.tid, SIGNAL);
                        t.join(10);
                    }
                }
                t.rethrowFailure();
                co.rethrowFailure();
                Tracing.Result tr = trace.stop();
                return result(co.windows, co.dur, tr, t.tid, (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    /** Drives the vCPU into each state and times the loop page's invalidation there. */
    private final class Sampler {
        final GuestMemory mem;
        final MemorySegment code;
        final long loop;
        final Pagemap pm;
        final VcpuThread t;
        final SplittableRandom random = new SplittableRandom(c.seed());

        Sampler(GuestMemory mem, long loop, Pagemap pm, VcpuThread t) {
            this.mem = mem;
            this.code = mem.segment();
            this.loop = loop;
            this.pm = pm;
            this.t = t;
        }

        /** Until the guest has written its loop page again (present in the process: KVM faulted it in for the guest). */
        void waitGuestTouched(long timeoutNs) {
            long until = System.nanoTime() + timeoutNs;
            while (!pm.page(loop).present()) {
                if (System.nanoTime() > until) throw new IllegalStateException("the kick guest did not touch its loop page within "
                        + timeoutNs / 1_000_000 + " ms");
                if (!t.isAlive()) t.rethrowFailure();
                Thread.onSpinWait();
            }
            // the SPTE is made right after the fault; a few us more and the guest is writing through it
            long a = System.nanoTime() + 20_000;
            while (System.nanoTime() < a) Thread.onSpinWait();
        }

        /** The vCPU halts inside KVM_RUN: it said so, and its thread sleeps (kvm_vcpu_block, past halt polling). */
        void halt() {
            code.set(JAVA_BYTE, HALTING, (byte) 0);
            code.set(JAVA_BYTE, FLAG, (byte) 1);
            long until = System.nanoTime() + 2_000_000_000L;
            while (code.get(JAVA_BYTE, HALTING) == 0 || !sleeping(t.tid)) {
                if (System.nanoTime() > until) throw new IllegalStateException("the kick guest did not halt within 2 s");
                Thread.onSpinWait();
            }
        }

        /** Back to the guest loop: flag down, the halted vCPU made runnable and its KVM_RUN ended by a kick so it re-enters. */
        void resume() {
            code.set(JAVA_BYTE, FLAG, (byte) 0);
            t.resume = true;
            t.park = false;
            t.unpark();
            bridge.kernel().kick(t.tid, SIGNAL);
            waitGuestTouched(2_000_000_000L);
        }

        long[][] samples(int state, long n, Histogram into) {
            long[][] w = new long[(int) n][];
            for (int i = 0; i < n && !stop.getAsBoolean(); i++) {
                if (state == 1 || state == 2) halt();
                if (state == 2) {
                    t.park = true;
                    bridge.kernel().kick(t.tid, SIGNAL);
                    long until = System.nanoTime() + 2_000_000_000L;
                    while (!t.parked || !sleeping(t.tid)) { // back in userspace and asleep, off its CPU
                        if (System.nanoTime() > until) throw new IllegalStateException("the kicked vCPU thread did not come back to userspace");
                        Thread.onSpinWait();
                    }
                }
                if (state == 0) {
                    long d = System.nanoTime() + random.nextLong(20_000);
                    while (System.nanoTime() < d) Thread.onSpinWait();
                }
                long s = System.nanoTime();
                bridge.madvise(loop, Linux.PAGE_SIZE, Linux.MADV_DONTNEED);
                long e = System.nanoTime();
                Histograms.record(into, e - s);
                w[i] = new long[] {s, e};
                if (state == 0) waitGuestTouched(2_000_000_000L);
                else resume();
            }
            return w;
        }
    }

    /** "kvm_exit EXTERNAL_INTERRUPT", or the IPI and whether its handler did the process's own TLB shootdown (within 3 us). */
    static String exitLabel(KvmTrace.TraceEvent e, List<KvmTrace.TraceEvent> shootdowns) {
        if (e.name().equals("kvm_exit")) return "kvm_exit " + e.exitReason();
        boolean flush = shootdowns.stream().anyMatch(f -> f.tsNs() >= e.tsNs() - KvmTrace.HALF_US && f.tsNs() - e.tsNs() <= 3_000);
        return e.name().replace("_entry", "") + (e.name().startsWith("call_function") ? (flush ? " (the process's TLB shootdown)"
                : " (KVM's kick: no TLB shootdown in it)") : "");
    }

    /** State 'S' in /proc/self/task/TID/stat: the thread sleeps (not halt-polling). */
    static boolean sleeping(int tid) {
        return ProcFiles.read("/proc/self/task/" + tid + "/stat").map(s -> s.substring(s.lastIndexOf(')') + 2).startsWith("S")).orElse(false);
    }

    private TestResult result(long[][][] windows, Histogram[] dur, Tracing.Result tr, int tid, double secs) {
        boolean traced = tr.capture() != null && tr.capture().trustworthy();
        List<String> exitNames = EXIT_EVENTS.stream().map(e -> e.substring(e.indexOf('/') + 1)).toList();
        List<KvmTrace.TraceEvent> exits = traced ? tr.capture().events().stream().filter(e -> e.pid() == tid && exitNames.contains(e.name()))
                .sorted(java.util.Comparator.comparingLong(KvmTrace.TraceEvent::tsNs)).toList() : List.of();
        List<KvmTrace.TraceEvent> shootdowns = traced ? tr.capture().named("tlb_flush").stream().filter(e -> e.pid() == tid && e.tlbReason() == 1)
                .toList() : List.of();
        long[] exitTs = exits.stream().mapToLong(KvmTrace.TraceEvent::tsNs).toArray();
        List<KickExtra.State> states = new ArrayList<>();
        List<LatencySummary> lat = new ArrayList<>();
        List<List<Double>> rows = new ArrayList<>();
        long total = 0;
        for (int st = 0; st < 3; st++) {
            if (windows[st] == null) continue;
            Histogram exitAfter = Histograms.ns();
            Map<String, Long> reasons = new LinkedHashMap<>();
            long inWindow = 0, n = 0;
            for (long[] w : windows[st]) {
                if (w == null) continue;
                n++;
                int k = TraceJudge.firstAtOrAfter(exitTs, w[0] - KvmTrace.HALF_US);
                if (k < exitTs.length && exitTs[k] - KvmTrace.HALF_US <= w[1]) {
                    inWindow++;
                    Histograms.record(exitAfter, Math.max(0, exitTs[k] - w[0]));
                    reasons.merge(exitLabel(exits.get(k), shootdowns), 1L, Long::sum);
                }
            }
            total += n;
            lat.add(LatencySummary.of("MADV_DONTNEED of the guest's page, vCPU " + STATES[st], Histograms.CLOCK, dur[st]));
            if (traced && exitAfter.getTotalCount() > 0) {
                lat.add(LatencySummary.of("vCPU exit after the call began, " + STATES[st], "trace clock mono (us resolution)", exitAfter));
            }
            states.add(new KickExtra.State(STATES[st], n, PvclockScenario.p(dur[st], 50), PvclockScenario.p(dur[st], 99), inWindow,
                    PvclockScenario.p(exitAfter, 50), PvclockScenario.p(exitAfter, 99), reasons));
            rows.add(List.of((double) st, (double) PvclockScenario.p(dur[st], 50), (double) PvclockScenario.p(dur[st], 99), (double) inWindow,
                    (double) n, (double) PvclockScenario.p(exitAfter, 50), (double) PvclockScenario.p(exitAfter, 99)));
        }
        String note = traced ? "exits from the trace: the vCPU thread's first kvm:kvm_exit, or interrupt handler where the KVM backend does"
                + " not trace exits" : tr.capture() == null ? "no exit times: " + tr.note()
                : "no exit times: the trace is incomplete or off the tool's clock";
        KickExtra extra = new KickExtra("MADV_DONTNEED of the 4 KiB page the guest loop writes (KVM zaps its SPTE and flushes remote TLBs)",
                traced, note, states);
        TestResult.Builder b = TestResult.builder(NAME, PvclockScenario.SCENARIO, c.asMap(org.gpcrace.protocol.Source.DONTNEED))
                .expectation(Expectation.safe("a measurement: the invalidation completes in every vCPU state"))
                .unit("samples").rounds(total, secs).latencies(lat).extra(extra)
                .table(new Table("guest-mode kick", "state 0 = guest mode, 1 = halted inside KVM_RUN, 2 = not running", List.of(
                        new Table.Column("state", ""), new Table.Column("invalidation_p50", "ns"), new Table.Column("invalidation_p99", "ns"),
                        new Table.Column("exits_in_call", "samples"), new Table.Column("samples", "samples"),
                        new Table.Column("exit_after_start_p50", "ns"), new Table.Column("exit_after_start_p99", "ns")), rows));
        b.note(String.format(Locale.ROOT, "%-12s %10s %10s %14s %12s %12s", "vCPU", "p50 ns", "p99 ns", "exit in call", "exit p50 ns", "exit p99 ns"));
        for (KickExtra.State s : states) {
            b.note(String.format(Locale.ROOT, "%-12s %10d %10d %14s %12s %12s", s.state(), s.invalidationP50Ns(), s.invalidationP99Ns(),
                    traced ? s.exitsInWindow() + "/" + s.samples() : "-", traced && s.exitsInWindow() > 0 ? Long.toString(s.exitAfterStartP50Ns()) : "-",
                    traced && s.exitsInWindow() > 0 ? Long.toString(s.exitAfterStartP99Ns()) : "-"));
        }
        b.note("exit reasons: " + states.stream().map(s -> s.state() + " " + s.exitReasons()).toList());
        b.note("kick: " + note + "; exit times have the trace's us resolution; an exit in the call's window in guest mode is the"
                + " flush IPI's (or a coincident host interrupt), none is expected halted or not running");
        if (tr.capture() != null) {
            b.note("kernel: " + EvidenceOf.of(tr.capture(), List.of(), 0, total).tlbFlushesByReason() + " TLB flushes of this process");
        }
        return b.build();
    }
}
