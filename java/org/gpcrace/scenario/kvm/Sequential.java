package org.gpcrace.scenario.kvm;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.result.PvclockExtra;
import org.gpcrace.sys.PageInfo;
import org.gpcrace.sys.Pagemap;
import org.gpcrace.sys.kvm.KvmApi;

/**
 * The sequential phase: one step after the other on vCPU 0's thread, nothing else invalidating
 * (only a --storm, when asked, runs beside it). Per sample:
 * <ol>
 *   <li>the source's preparation (untimed), then a KVM_RUN: the GPC is valid from here;</li>
 *   <li>KVM_RUN again, timed: the fast path;</li>
 *   <li>the source's invalidation of the pvclock page, timed, with the cache active (valid and
 *       mapping that page); pagemap before and after says whether it did what the source does;</li>
 *   <li>KVM_RUN right after, timed: KVM must refresh (hva_to_pfn_retry) before it can write. The
 *       difference with (2) is the refresh cost;</li>
 *   <li>the cache deactivated (MSR_KVM_SYSTEM_TIME_NEW = 0, kvm_gpc_deactivate), the preparation
 *       again, the same invalidation timed without the cache, the cache activated again.</li>
 * </ol>
 * Every run asks for a clock update with KVM_SET_CLOCK (system_time then strictly advances) and
 * nothing of the process touches the page between the invalidation and KVM's write: a write that
 * KVM made into a frame the process no longer maps leaves the old value visible. A missing or
 * not-advanced update has no excuse here: it is counted in {@link #lost} and as lost-update.
 */
final class Sequential extends Actor implements AutoCloseable {
    private final PvclockGuest guest;
    private final SourceOp op;
    private final long samples;
    private final long budgetNs;
    private final Pagemap pagemap = new Pagemap();
    final Histogram fastRun = Histograms.ns();
    final Histogram refreshRun = Histograms.ns();
    final Histogram withCache = Histograms.ns();
    final Histogram withoutCache = Histograms.ns();
    final List<PvclockExtra.LostUpdate> lostEvidence = new ArrayList<>();
    long done, runs, updates, lost, effective, ineffective, unknownEffect, frameChanged;
    private long lastSystemTime = Long.MIN_VALUE;
    private long startNanos;

    /**
     * @param samples  samples at most
     * @param budgetNs time at most (the costly sources, compaction and KSM, stop on time), at least 3 samples
     */
    Sequential(NativeBridge bridge, int cpu, PvclockGuest guest, SourceOp op, long samples, long budgetNs) {
        super("sequential", bridge, cpu);
        this.guest = guest;
        this.op = op;
        this.samples = samples;
        this.budgetNs = budgetNs;
    }

    @Override protected void body() {
        startNanos = System.nanoTime();
        long until = startNanos + budgetNs;
        for (long i = 0; i < samples && !stopping() && (i < 3 || System.nanoTime() < until); i++) {
            op.prepare();
            run(null, "prepare");
            run(fastRun, "fast path");
            PageInfo before = pagemap.page(op.pvclockPage());
            long t0 = System.nanoTime();
            op.invalidate();
            Histograms.record(withCache, System.nanoTime() - t0);
            PageInfo after = pagemap.page(op.pvclockPage());
            Boolean e = op.effective(before, after);
            if (e == null) unknownEffect++;
            else if (e) effective++;
            else ineffective++;
            if (SourceOp.frameChanged(before, after)) frameChanged++;
            run(refreshRun, "after invalidation");
            guest.setPvclockActive(0, false);
            op.prepare();
            t0 = System.nanoTime();
            op.invalidate();
            Histograms.record(withoutCache, System.nanoTime() - t0);
            guest.setPvclockActive(0, true);
            done++;
        }
    }

    private void run(Histogram h, String what) {
        guest.vm().setClock(guest.vm().getClock());
        int region = guest.currentRegion();
        long t0 = System.nanoTime();
        int exit = guest.vcpu(0).run();
        long t1 = System.nanoTime();
        if (exit != KvmApi.KVM_EXIT_HLT) throw new IllegalStateException("KVM_RUN returned " + KvmApi.exitName(exit) + ", expected KVM_EXIT_HLT");
        int version = guest.pvclockVersion(region, 0);
        int mul = guest.pvclockMul(region, 0);
        long st = guest.pvclockSystemTime(region, 0);
        boolean advanced = st > lastSystemTime;
        runs++;
        if (version == 0 || (version & 1) != 0 || mul == 0 || !advanced) {
            lost++;
            if (lostEvidence.size() < PvclockVcpu.LOST_EVIDENCE_MAX) {
                lostEvidence.add(new PvclockExtra.LostUpdate("sequential: " + what, 0, runs - 1, PvclockVcpu.failedCheck(version, mul, advanced),
                        version, st, lastSystemTime, mul, t0 - startNanos, t0 - startNanos, t1 - startNanos, System.nanoTime() - startNanos,
                        null, null));
            }
        } else {
            updates++;
            lastSystemTime = st;
        }
        if (h != null) Histograms.record(h, t1 - t0);
    }

    @Override public void close() { pagemap.close(); }
}
