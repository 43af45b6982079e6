package org.gpcrace.scenario.kvm;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import org.HdrHistogram.Histogram;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridge.Linux;
import org.gpcrace.sys.kvm.KvmApi;

/**
 * The sequential measurements, one step after the other on one thread (only a --storm, when
 * running, competes). Per sample:
 * <ol>
 *   <li>KVM_RUN with the GPC valid and nothing invalidated since: the fast path;</li>
 *   <li>one present page, MADV_DONTNEED, timed, on (a) the pvclock page (the GPC is active and
 *       valid: the notifier takes its lock and clears it), (b) a page of the same memslot no GPC
 *       covers (the same memslot work, no GPC), (c) a page outside every memslot (KVM's notifier
 *       has no slot to walk), in rotating order;</li>
 *   <li>KVM_RUN right after the pvclock page's invalidation: the GPC must be refreshed
 *       (hva_to_pfn_retry) before KVM can write. The difference with (1) is the refresh cost.</li>
 * </ol>
 * Both runs must leave a fresh pvclock (nothing else invalidates it): a missing update here is a
 * lost update with no excuse, counted in {@link #lost}.
 */
final class Calibration extends Actor implements AutoCloseable {
    private final PvclockGuest guest;
    private final ClockUpdate clockUpdate;
    private final long samples;
    private final NativeBridge bridge;
    private final long outside;
    final Histogram fastRun = Histograms.ns();
    final Histogram refreshRun = Histograms.ns();
    final Histogram gpcPage = Histograms.ns();
    final Histogram plainPage = Histograms.ns();
    final Histogram outsidePage = Histograms.ns();
    long updates;
    long lost;

    Calibration(NativeBridge bridge, int cpu, PvclockGuest guest, ClockUpdate clockUpdate, long samples) {
        super("calibration", bridge, cpu);
        this.bridge = bridge;
        this.guest = guest;
        this.clockUpdate = clockUpdate;
        this.samples = samples;
        this.outside = bridge.mmap(0, Linux.PAGE_SIZE, Linux.PROT_RW, Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
    }

    @Override protected void body() {
        long[] pages = {guest.pvclockAddress(), guest.plainAddress(), outside};
        Histogram[] into = {gpcPage, plainPage, outsidePage};
        timedRun(null); // the GPC is valid from here on
        for (long i = 0; i < samples && !stopping(); i++) {
            timedRun(fastRun);
            for (long p : pages) MemorySegment.ofAddress(p).reinterpret(8).set(JAVA_LONG, 0, i | 1); // present
            for (int k = 0; k < 3; k++) {
                int which = (int) ((i + k) % 3);
                long t0 = System.nanoTime();
                bridge.madvise(pages[which], Linux.PAGE_SIZE, Linux.MADV_DONTNEED);
                Histograms.record(into[which], System.nanoTime() - t0);
            }
            timedRun(refreshRun);
        }
    }

    private void timedRun(Histogram h) {
        guest.zeroPvclock();
        clockUpdate.request(guest);
        long t0 = System.nanoTime();
        int exit = guest.vcpu().run();
        long t1 = System.nanoTime();
        if (exit != KvmApi.KVM_EXIT_HLT) throw new IllegalStateException("KVM_RUN returned " + KvmApi.exitName(exit) + ", expected KVM_EXIT_HLT");
        int version = guest.pvclockVersion();
        if (version == 0 || (version & 1) != 0 || guest.pvclockMul() == 0) lost++;
        else updates++;
        if (h != null) Histograms.record(h, t1 - t0);
    }

    @Override public void close() { bridge.munmap(outside, Linux.PAGE_SIZE); }
}
