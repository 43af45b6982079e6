package org.gpcrace.scenario.kvm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.result.PvclockExtra;
import org.gpcrace.sys.kvm.KvmTrace;
import org.gpcrace.sys.kvm.KvmTrace.TraceEvent;

/** The kernel-side evidence of one test, from its trace capture. */
final class EvidenceOf {
    private EvidenceOf() {}

    private static double per(long n, long d) { return d == 0 ? 0 : (double) n / d; }

    static final String[] TLB_REASONS = {"task switch", "remote shootdown", "local shootdown", "local mm shootdown", "remote IPI sent",
            "remote wrong CPU"};

    /**
     * @param pvclockHvas the addresses of every pvclock structure (all vCPUs, all data regions)
     * @param kvmRuns     KVM_RUNs of this process while the trace recorded
     * @param invalidations the invalidations the harness made while the trace recorded (the TLB flushes are counted per
     *     notifier event on the page when there were any: ksmd's merges are not the harness's calls)
     */
    static PvclockExtra.Evidence of(KvmTrace.Capture c, List<Long> pvclockHvas, long kvmRuns, long invalidations) {
        long me = ProcessHandle.current().pid();
        long covering = 0, fromOthers = 0, total = 0, updates = 0;
        Map<String, Long> tlb = new LinkedHashMap<>();
        long tlbTotal = 0;
        for (TraceEvent e : c.events()) {
            switch (e.name()) {
                case "kvm_unmap_hva_range" -> {
                    boolean cover = pvclockHvas.stream().anyMatch(e::covers);
                    if (e.tgid() == me || cover) total++;
                    if (cover) {
                        covering++;
                        if (e.tgid() != me) fromOthers++;
                    }
                }
                case "kvm_pvclock_update" -> {
                    if (e.tgid() == me) updates++;
                }
                case "tlb_flush" -> {
                    if (e.tgid() == me) {
                        int r = e.tlbReason();
                        tlb.merge(r >= 0 && r < TLB_REASONS.length ? TLB_REASONS[r] : "reason " + r, 1L, Long::sum);
                        tlbTotal++;
                    }
                }
                default -> { }
            }
        }
        String note = c.trustworthy() ? "complete, on the tool's clock" : (c.lost() > 0 ? c.lost() + " events lost (buffer overrun)" : "")
                + (c.clockSkewNs() > 1000 ? " trace clock off System.nanoTime by " + c.clockSkewNs() + " ns" : "");
        return new PvclockExtra.Evidence(true, note.trim(), covering, fromOthers, total, updates, kvmRuns, tlb,
                per(tlbTotal, covering > 0 ? covering : invalidations), c.lost(), c.clockSkewNs(), c.missingEvents());
    }
}
