package org.gpcrace.measure;

import org.gpcrace.protocol.Source;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gpcrace.bridge.NativeCallException;
import org.gpcrace.bridge.ProbeNative;
import org.gpcrace.result.Skip;
import org.gpcrace.sys.Backing;
import org.gpcrace.bridge.Linux;

/**
 * `refault`: the first touch after a zap, per backing (a write to the first byte after
 * madvise(MADV_DONTNEED) of the range, which is one 4 KiB page, or one 2 MiB page for thp and
 * hugetlb); and the userfaultfd MISSING round trip (a read of a missing page -> the monitor
 * thread on another CPU reads the fault -> UFFDIO_COPY or UFFDIO_ZEROPAGE -> the read resumes).
 */
public final class RefaultProbe implements LatencyProbe {
    static final List<Backing> DEFAULT_BACKINGS = List.of(Backing.ANON, Backing.SHMEM, Backing.THP, Backing.HUGETLB);

    @Override public String id() { return "refault"; }

    @Override public String description() {
        return "minor fault after a zap per backing; userfaultfd MISSING round trip (COPY and ZEROPAGE)";
    }

    @Override public void run(ProbeContext ctx) throws Exception {
        IntervalLog log = ctx.newLog(id());
        List<Backing> backings = ctx.options().backings().isEmpty() ? DEFAULT_BACKINGS : ctx.options().backings();
        for (Backing b : backings) {
            try {
                touch(ctx, log, b);
            } catch (RuntimeException e) { // one backing failing here does not hide the others
                ctx.fail("latency-refault-" + b.id(), ctx.params(Map.of("backing", b.id())), e);
            }
        }
        uffdMissing(ctx, log);
        if (log.intervals() > 0) ctx.saveLog(id(), log);
    }

    private static void touch(ProbeContext ctx, IntervalLog log, Backing b) throws Exception {
        String name = "latency-refault-" + b.id();
        boolean huge = b == Backing.THP || b == Backing.HUGETLB;
        long len = huge ? Linux.HUGE_PAGE_SIZE : Linux.PAGE_SIZE;
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("backing", b.id());
        own.put("operation", "madvise(MADV_DONTNEED) of " + Sizes.label(len) + " (untimed), then a write to its first byte (timed)");
        Optional<Skip> skip = ProbeSources.refusal(Source.DONTNEED, b, ctx.host());
        if (skip.isPresent()) {
            ctx.skip(name, ctx.params(own), skip.get());
            return;
        }
        TestBuilder t = ctx.test(name, own);
        try (ProbeMemory m = ProbeMemory.map(ctx.bridge(), b, len);
                NativeRun run = new NativeRun(ctx.bridge(), ProbeNative.REFAULT, ctx.budget().bufferCapacity())) {
            run.addr(m.base()).length(len).cpu(ctx.options().measuringCpu());
            Recorder r = new Recorder(List.of("first touch " + b.id() + " " + Sizes.label(len)), log);
            t.add(r, ctx.clock().label(), ProbeLoop.run(ctx.budget(), run.buffer(), run, r));
            if (b == Backing.THP) {
                var kb = Smaps.anonHugeKb(ctx.mm().procDir(), m.base());
                if (kb.isPresent()) t.figure("anonHugePages", kb.getAsLong(), "kB");
                t.note(kb.isEmpty() ? "huge page: unknown (smaps of the measured process unreadable)"
                        : kb.getAsLong() >= 2048 ? "huge page: yes, the fault allocated and cleared a 2 MiB page"
                        : "huge page: NO, the fault got 4 KiB pages (THP allocation failed): this is a 4 KiB refault");
            }
        }
        ctx.emit(t.build());
    }

    private static void uffdMissing(ProbeContext ctx, IntervalLog log) throws Exception {
        String name = "latency-uffd-missing";
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("operation", "read of a missing anonymous page of a UFFDIO_REGISTER_MODE_MISSING range; monitor: poll + read + resolve");
        List<Integer> helpers = ctx.options().helperCpus().isEmpty() ? List.of(-1) : List.of(ctx.options().helperCpus().get(0));
        own.put("monitorCpu", helpers.get(0));
        TestBuilder t = ctx.test(name, own);
        if (helpers.get(0) < 0) t.note("one CPU in --cpus: the monitor is not pinned and shares it (a context switch per fault)");
        try (ProbeMemory m = ProbeMemory.map(ctx.bridge(), Backing.ANON, Linux.PAGE_SIZE);
                NativeRun run = new NativeRun(ctx.bridge(), ProbeNative.UFFD_MISSING, ctx.budget().bufferCapacity())) {
            run.addr(m.base()).length(Linux.PAGE_SIZE).cpu(ctx.options().measuringCpu()).helpers(helpers);
            for (int resolve : new int[] {ProbeNative.RESOLVE_COPY, ProbeNative.RESOLVE_ZEROPAGE}) {
                String how = resolve == ProbeNative.RESOLVE_COPY ? "copy" : "zeropage";
                run.variant(resolve);
                Recorder r = new Recorder(List.of("uffd " + how + " round trip", "uffd " + how + " fault->monitor",
                        "uffd " + how + " monitor->resume"), log);
                try {
                    t.add(r, ctx.clock().label(), ProbeLoop.run(ctx.budget(), run.buffer(), run, r));
                } catch (NativeCallException e) {
                    int call = run.errCall();
                    if (call != ProbeNative.PCALL_USERFAULTFD && call != ProbeNative.PCALL_UFFDIO_API) throw e;
                    ctx.skip(name, ctx.params(own), new Skip("userfaultfd unavailable: " + e.getMessage(),
                            "run as root or: sysctl vm.unprivileged_userfaultfd=1 (kernel needs CONFIG_USERFAULTFD)"));
                    return;
                }
            }
        }
        t.note("fault->monitor and monitor->resume compare stamps of two CPUs (TSC); round trip is one CPU's");
        ctx.emit(t.build());
    }
}
