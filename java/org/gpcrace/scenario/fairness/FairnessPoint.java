package org.gpcrace.scenario.fairness;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.gpcrace.bridge.Layouts;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.scenario.kvm.Histograms;

/**
 * One point of the sweep: one variant at one duty cycle. The invalidators and the updater run
 * the C helper's loops on their own pinned threads (gpcrace_fairness_*); this class sets the
 * parameters, starts them, stops them, and turns the updater's waits into a histogram.
 */
final class FairnessPoint {
    private static final VarHandle STOP = Layouts.GPCRACE_FAIRNESS.varHandle(groupElement("stop"));
    private static final VarHandle SECTIONS = Layouts.GPCRACE_FAIRNESS.varHandle(groupElement("sections"));

    /** What one point measured. A censored wait (gave up or cancelled) is recorded at its length and counted starved. */
    record Result(FairnessVariant variant, double duty, Histogram waits, long updates, long starved, long censored,
            long sections, double seconds, boolean interrupted, double achievedDuty) {}

    private FairnessPoint() {}

    static Result run(NativeBridge bridge, FairnessConfig c, FairnessVariant variant, double duty, BooleanSupplier stopRequested)
            throws InterruptedException {
        int n = duty == 0 ? 0 : c.invalidators();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> invalidators = new ArrayList<>();
        long[] done = {0};
        {
            // an automatic arena: freed only when no thread can reach it, so an actor that does
            // not stop (reported below) never runs on freed memory
            Arena arena = Arena.ofAuto();
            MemorySegment f = arena.allocate(Layouts.GPCRACE_FAIRNESS);
            MemorySegment waits = arena.allocate(JAVA_LONG, c.updates());
            set(f, "variant", variant.nativeId());
            set(f, "invalidators", n);
            set(f, "stagger", c.stagger() ? 1 : 0);
            set(f, "period_ns", c.periodNs());
            set(f, "busy_ns", Math.round(duty * c.periodNs()));
            set(f, "updater_gap_ns", c.updaterGapNs());
            set(f, "wait_limit_ns", c.waitLimitNs());
            bridge.kernel().fairnessInit(f.address());
            long start = System.nanoTime() + 2_000_000;
            set(f, "start_ns", start);
            for (int i = 0; i < n; i++) {
                int index = i, cpu = c.invalidatorCpu(i);
                invalidators.add(Thread.ofPlatform().name("gpcrace-fairness-invalidator-" + i).daemon(true).start(() -> {
                    try {
                        bridge.pinToCpu(cpu);
                        bridge.kernel().fairnessInvalidator(f.address(), index);
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            Thread updater = Thread.ofPlatform().name("gpcrace-fairness-updater").daemon(true).start(() -> {
                try {
                    bridge.pinToCpu(c.updaterCpu());
                    // start only once the invalidators are at work: on a loaded machine their threads can take
                    // milliseconds to get a CPU, and updates made before that would measure nothing
                    long deadline = System.nanoTime() + 5_000_000_000L;
                    while ((System.nanoTime() < start || sections(f) < n) && System.nanoTime() < deadline) Thread.sleep(0, 100_000);
                    done[0] = bridge.kernel().fairnessUpdater(f.address(), waits.address(), c.updates(), c.budgetNs());
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            long t0 = System.nanoTime();
            boolean interrupted = false;
            while (updater.isAlive()) {
                updater.join(10);
                if (!interrupted && stopRequested.getAsBoolean()) {
                    interrupted = true;
                    STOP.setVolatile(f, 0L, 1);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            STOP.setVolatile(f, 0L, 1);
            for (Thread t : invalidators) {
                t.join(10_000);
                if (t.isAlive()) throw new IllegalStateException(t.getName() + " did not stop within 10 s");
            }
            if (!failures.isEmpty()) {
                Throwable t = failures.peek();
                throw new IllegalStateException("memslot-fairness " + variant.id() + " duty " + duty + ": " + t.getMessage(), t);
            }
            Histogram h = Histograms.ns();
            long starved = 0, censored = 0;
            for (long i = 0; i < done[0]; i++) {
                long w = waits.getAtIndex(JAVA_LONG, i);
                if (w < 0) censored++;
                long abs = Math.abs(w);
                if (w < 0 || abs > c.boundNs()) starved++;
                Histograms.record(h, abs);
            }
            // what the invalidators really managed: on a loaded machine they are preempted and the
            // active count is zero more often than the duty cycle asked for
            long sections = sections(f);
            double achieved = n == 0 || seconds <= 0 ? 0 : Math.min(1.0, sections * (double) Math.round(duty * c.periodNs()) / (seconds * 1e9 * n));
            return new Result(variant, duty, h, done[0], starved, censored, sections, seconds, interrupted, achieved);
        }
    }

    private static long sections(MemorySegment f) { return (long) SECTIONS.getVolatile(f, 0L); }

    private static void set(MemorySegment f, String field, long value) {
        VarHandle h = Layouts.GPCRACE_FAIRNESS.varHandle(groupElement(field));
        if (h.varType() == int.class) h.set(f, 0L, (int) value);
        else h.set(f, 0L, value);
    }
}
