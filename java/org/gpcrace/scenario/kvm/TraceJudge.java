package org.gpcrace.scenario.kvm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.gpcrace.result.PvclockExtra;
import org.gpcrace.sys.kvm.KvmTrace;
import org.gpcrace.sys.kvm.KvmTrace.TraceEvent;

/**
 * The sharper oracle: judges the race's runs again from the kernel's own record of when KVM's MMU
 * notifier started on the pvclock page (kvm:kvm_unmap_hva_range covering its address) instead of
 * the invalidator's whole system calls, which are wider and miss invalidations the harness did
 * not make (ksmd, kcompactd, khugepaged).
 *
 * <p>Each such event opens an effect window: from the notifier start until the process's own view
 * of the page is consistent again. KVM cannot write before the invalidation ends (hva_to_pfn_retry
 * waits while mn_active_invalidate_count is raised), but the process's TLB may still map the old
 * frame after that: zap_page_range, munmap, mprotect and fork flush the TLB in tlb_finish_mmu,
 * after mmu_notifier_invalidate_range_end, so KVM may already have faulted in and written the new
 * frame while this thread still reads the old one through its TLB (seen on this machine: a run
 * zeroed and read the old frame of a DONTNEED whose notifier began 0.9 us before the zero). So:
 * <ul>
 *   <li>an event raised by the harness's invalidator lasts until its system call returned (the
 *       flush is inside the call): [event, call end], never wider than the call itself;</li>
 *   <li>an event raised by another task (ksmd, kcompactd, khugepaged) flushes inside the notifier
 *       bracket (ptep_clear_flush, pmdp_collapse_flush; migration flushes before it copies):
 *       [event, event];</li>
 *   <li>the vCPU thread's own event (a write that breaks copy-on-write at the zero) completes
 *       before its KVM_RUN: it excuses nothing unless it happened during the KVM_RUN.</li>
 * </ul>
 * A run is excused when a window meets [zero, read]. Event times have microsecond resolution:
 * every window is widened by {@link KvmTrace#HALF_US} on both sides (a harness call's only where
 * that stays inside the call). An event of the invalidator outside every logged call (none is
 * expected) opens a window that never ends: the safe side, counted. Not for sources whose
 * invalidated state lasts between two calls (mprotect's read-only window, the deleted memslot:
 * no event marks the end), nor when the trace is incomplete or off the tool's clock: those keep
 * the system-call oracle.
 */
final class TraceJudge {
    private TraceJudge() {}

    /** The race's outcome counts by the trace, and what changed against the system-call oracle. */
    record Result(long[] counts, long excused, long cleared, long clearedFresh, long added, long addedByOthers,
            long windowsHarness, long windowsOwn, long windowsOthers, long windowsUnmatched, List<PvclockExtra.LostUpdate> lost,
            long firstLostRun, long firstLostNanos) {}

    enum By { HARNESS, OWN, OTHER, UNMATCHED }

    /** One effect window and who raised the event that opened it. */
    record Window(long lo, long hi, By by, TraceEvent event) {
        boolean own() { return by == By.OWN; }
    }

    /**
     * @param invalidator the race's invalidator (null: none): its thread id and its calls' [start, end]
     */
    static Result judge(PvclockGuest guest, List<PvclockVcpu> vcpus, List<TraceEvent> events, long startNanos, PvclockInvalidator invalidator) {
        int n = PvclockOutcome.values().length;
        long[] counts = new long[n];
        long excusedRuns = 0, cleared = 0, clearedFresh = 0, added = 0, addedByOthers = 0, firstLost = -1, firstLostNs = 0;
        long[] windows = new long[By.values().length];
        long raceEnd = vcpus.stream().mapToLong(v -> v.records.size() == 0 ? Long.MIN_VALUE : v.records.read[v.records.size() - 1]).max()
                .orElse(Long.MIN_VALUE);
        List<PvclockExtra.LostUpdate> lost = new ArrayList<>();
        for (PvclockVcpu v : vcpus) {
            List<List<Window>> byRegion = new ArrayList<>();
            long[] maxLen = new long[guest.regions()];
            for (int r = 0; r < guest.regions(); r++) {
                long hva = guest.pvclockAddress(r, v.index);
                List<Window> ws = new ArrayList<>();
                for (TraceEvent e : events) {
                    if (!e.covers(hva)) continue;
                    Window w = window(e, v.tid, invalidator);
                    ws.add(w);
                    if (r == 0 && v.index == 0 && e.tsNs() <= raceEnd) windows[w.by().ordinal()]++; // vCPU 0's windows, region 0
                }
                ws.sort(Comparator.comparingLong(Window::lo));
                for (Window w : ws) maxLen[r] = Math.max(maxLen[r], w.hi() - w.lo());
                byRegion.add(ws);
            }
            long[][] los = byRegion.stream().map(ws -> ws.stream().mapToLong(Window::lo).toArray()).toArray(long[][]::new);
            RunRecords rec = v.records;
            long prevEnd = Long.MIN_VALUE;
            for (int i = 0; i < rec.size(); i++) {
                int r = rec.region[i];
                List<Window> ws = byRegion.get(r);
                boolean excused = false, byHarness = false, refreshed = rec.onlineOutcome(i) == PvclockOutcome.UPDATED_AFTER_REFRESH;
                long from = saturatingSub(prevEnd == Long.MIN_VALUE ? rec.zero[i] : Math.min(rec.zero[i], prevEnd), maxLen[r]);
                for (int k = firstAtOrAfter(los[r], from); k < ws.size() && ws.get(k).lo() <= rec.read[i]; k++) {
                    Window w = ws.get(k);
                    if (w.hi() >= rec.zero[i] && (!w.own() || w.hi() >= rec.runStart[i])) {
                        excused = true;
                        byHarness |= w.by() == By.HARNESS || w.by() == By.UNMATCHED;
                    }
                    if (w.lo() > prevEnd && w.hi() < rec.zero[i]) refreshed = true;
                }
                PvclockOutcome online = rec.onlineOutcome(i), o;
                if (excused) o = PvclockOutcome.INVALIDATED_DURING;
                else if (rec.fresh[i]) o = refreshed ? PvclockOutcome.UPDATED_AFTER_REFRESH : PvclockOutcome.UPDATED;
                else o = PvclockOutcome.LOST_UPDATE;
                counts[o.ordinal()]++;
                if (excused) excusedRuns++;
                if (online == PvclockOutcome.INVALIDATED_DURING && !excused) {
                    cleared++;
                    if (rec.fresh[i]) clearedFresh++;
                }
                if (online != PvclockOutcome.INVALIDATED_DURING && excused) {
                    added++;
                    if (!byHarness) addedByOthers++;
                }
                if (o == PvclockOutcome.LOST_UPDATE) {
                    if (firstLost < 0 || rec.read[i] - startNanos < firstLostNs) {
                        firstLost = i;
                        firstLostNs = rec.read[i] - startNanos;
                    }
                    if (lost.size() < PvclockVcpu.LOST_EVIDENCE_MAX) lost.add(evidence(v, rec, i, ws, events, startNanos));
                }
                prevEnd = rec.runEnd[i];
            }
            // slow runs and hangs are not the trace's business
            counts[PvclockOutcome.SLOW_RUN.ordinal()] += v.counts[PvclockOutcome.SLOW_RUN.ordinal()];
            counts[PvclockOutcome.HANG.ordinal()] += v.counts[PvclockOutcome.HANG.ordinal()];
        }
        return new Result(counts, excusedRuns, cleared, clearedFresh, added, addedByOthers, windows[By.HARNESS.ordinal()],
                windows[By.OWN.ordinal()], windows[By.OTHER.ordinal()], windows[By.UNMATCHED.ordinal()], lost, firstLost, firstLostNs);
    }

    static Window window(TraceEvent e, int vcpuTid, PvclockInvalidator inv) {
        long h = KvmTrace.HALF_US, t = e.tsNs();
        if (e.pid() == vcpuTid) return new Window(t - h, t + h, By.OWN, e);
        if (inv != null && e.pid() == inv.tid) {
            int calls = (int) Math.min(inv.invalidations(), inv.starts.length);
            // the call the event happened in: the notifier runs inside it, and the call returns after the TLB flush
            int k = firstAtOrAfter(inv.starts, calls, t + h + 1) - 1;
            if (k >= 0 && inv.ends[k] >= t - h) return new Window(Math.max(inv.starts[k], t - h), inv.ends[k], By.HARNESS, e);
            return new Window(t - h, Long.MAX_VALUE, By.UNMATCHED, e); // outside every logged call: the safe side
        }
        return new Window(t - h, t + h, By.OTHER, e);
    }

    /** A lost run's stamps and the kernel's events on the page and this vCPU's pvclock writes around it (us from the phase start). */
    private static PvclockExtra.LostUpdate evidence(PvclockVcpu v, RunRecords rec, int i, List<Window> ws, List<TraceEvent> events, long startNanos) {
        long lo = rec.zero[i] - 50_000, hi = rec.read[i] + 50_000;
        Window near = null;
        for (Window w : ws) if (near == null || Math.abs(w.lo() - rec.zero[i]) < Math.abs(near.lo() - rec.zero[i])) near = w;
        StringBuilder k = new StringBuilder();
        for (TraceEvent e : events) {
            if (e.tsNs() < lo || e.tsNs() > hi) continue;
            boolean mine = ws.stream().anyMatch(w -> w.event() == e) || (e.name().equals("kvm_pvclock_update") && e.pid() == v.tid);
            if (!mine) continue;
            if (k.length() > 0) k.append("; ");
            k.append(String.format(Locale.ROOT, "%+.1f us %s pid %d %s", (e.tsNs() - rec.zero[i]) / 1e3, e.name(), e.pid(),
                    e.name().equals("kvm_pvclock_update") ? "" : e.body()).trim());
        }
        return new PvclockExtra.LostUpdate("race (trace oracle)", v.index, i, "no update, and no invalidation's effect window (kernel"
                + " events from the zero: " + (k.length() == 0 ? "none" : k) + ") meets [zero, read]", 0, 0, 0, 0,
                rec.zero[i] - startNanos, rec.runStart[i] - startNanos, rec.runEnd[i] - startNanos, rec.read[i] - startNanos,
                near == null ? null : near.lo() - startNanos, near == null || near.hi() == Long.MAX_VALUE ? null : near.hi() - startNanos);
    }

    /** The first index with ts[k] >= t (ts sorted). */
    static int firstAtOrAfter(long[] ts, long t) { return firstAtOrAfter(ts, ts.length, t); }

    /** The first index below n with ts[k] >= t (ts[0..n) sorted), or n. */
    static int firstAtOrAfter(long[] ts, int n, long t) {
        int k = Arrays.binarySearch(ts, 0, n, t);
        if (k < 0) return -k - 1;
        while (k > 0 && ts[k - 1] == t) k--;
        return k;
    }

    private static long saturatingSub(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
    }
}
