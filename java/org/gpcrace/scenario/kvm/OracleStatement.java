package org.gpcrace.scenario.kvm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.gpcrace.protocol.Source;
import org.gpcrace.result.PvclockExtra;

/**
 * What a kvm-pvclock test's outcomes can and cannot show, worded from the source and the oracle
 * that judged it: the one place these claims are made, so the console, the README's table and
 * results.json say the same thing.
 */
final class OracleStatement {
    private OracleStatement() {}

    static final String TRACE = "trace", SYSCALLS = "system calls";

    /**
     * @param op            the source (null: no invalidator)
     * @param byTrace       the race was judged by the trace's notifier events
     * @param excusedRuns   runs the race's oracle excused (invalidated-during), of {@code runs}
     */
    static PvclockExtra.Oracle of(SourceOp op, boolean byTrace, boolean busted, long excusedRuns, long runs, boolean sequential) {
        List<String> can = new ArrayList<>(), cannot = new ArrayList<>();
        String frame = op == null ? "no invalidator" : op.frame().text;
        boolean lasting = op != null && op.lasting();
        if (busted) {
            can.add("negative control: the invalidator's intervals are hidden and no trace judges, so every update an invalidation"
                    + " took away shows as lost-update: the harness's ability to report one, not a kernel bug");
            return new PvclockExtra.Oracle(SYSCALLS + " (hidden)", frame, lasting, can, cannot);
        }
        String window = byTrace ? "invalidation effect window on the pvclock page meeting [zero, read] (from KVM's notifier event,"
                + " kvm:kvm_unmap_hva_range, to the return of the harness's call that raised it, which flushes the TLB; another task's"
                + " event: its own time)"
                : "invalidation call's [start, end] (the whole system call, wider than the kernel's invalidation) overlapping [zero, read]";
        if (op == null) {
            can.add("lost-update: a run whose update is missing with no invalidator running: KVM did not write, or wrote elsewhere");
        } else if (op.frame() == SourceOp.Frame.KEEPS) {
            can.add("lost-update: KVM did not rewrite the structure although no " + window + " excuses the run");
        } else {
            can.add("lost-update (race): a run no " + window + " excuses whose update is missing: KVM wrote into a frame the process no"
                    + " longer maps" + (op.frame() == SourceOp.Frame.MAY_MOVE ? " (when the page moved)" : "") + ", or did not write");
        }
        if (sequential && op != null) {
            can.add("lost-update (sequential): right after a completed invalidation, with nothing of the process touching the page"
                    + " before KVM's write, the update (KVM_SET_CLOCK: system_time strictly larger) is missing");
            can.add("updated-after-refresh: an invalidation completed between two runs and the update still arrived: KVM refreshed"
                    + " its cache (the sequential KVM_RUN after it gives the refresh cost)");
        }
        if (op != null) {
            cannot.add(String.format(Locale.ROOT, "invalidated-during: a run excused by an %s shows nothing,"
                    + " whatever it read: a stale write there is not caught (%d of %d race runs, %.1f%%)", window, excusedRuns, runs, runs == 0 ? 0 : 100.0 * excusedRuns / runs));
            if (op.frame() != SourceOp.Frame.MOVES) cannot.add("the page " + op.frame().text);
            if (op.source == org.gpcrace.protocol.Source.KSM || op.source == org.gpcrace.protocol.Source.FORK) {
                cannot.add("in the race, the zero store breaks the copy-on-write itself and so invalidates the cache before KVM writes,"
                        + " masking a " + op.source.id() + " invalidation KVM might have missed: only the sequential runs can show that");
            }
            if (lasting) {
                cannot.add("the invalidated state lasts between two calls (" + (op.source == Source.MEMSLOT ? "slot deleted, then added back"
                        : "read-only, then read-write") + ") and no trace event marks its end, so the whole call interval excuses");
            }
            if (!op.boundedBySyscalls()) {
                cannot.add("ksmd merges on its own time: without the trace no run of the race can be judged (the race is then left out)");
            }
            if (op.source == Source.MIGRATE && op instanceof MigrateOp m && m.compaction()) {
                cannot.add("compaction migrates the pages it chooses: an invalidation that did not move the pvclock page tests nothing"
                        + " (see the sequential phase's moved count and the trace's notifier events on the page)");
            }
        }
        cannot.add("the cache's own kernel mapping and KVM's write are not observed; only the process's view of the page after KVM_RUN");
        return new PvclockExtra.Oracle(byTrace ? TRACE : SYSCALLS, frame, lasting, can, cannot);
    }
}
