package org.gpcrace.measure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.bridge.NativeCallException;
import org.gpcrace.bridge.ProbeNative;
import org.gpcrace.result.Skip;
import org.gpcrace.sys.Backing;
import org.gpcrace.bridge.Linux;

/**
 * `uffd-remove`: madvise(MADV_DONTNEED) of a page registered with UFFD_FEATURE_EVENT_REMOVE
 * blocks until the monitor has read the UFFD_EVENT_REMOVE message (the userspace analogue of an
 * MMU notifier that must finish before the zap). Latencies: madvise entry -> return (time
 * blocked), and madvise entry -> the monitor has the event (its wake-up).
 */
public final class UffdRemoveProbe implements LatencyProbe {
    @Override public String id() { return "uffd-remove"; }

    @Override public String description() {
        return "madvise(DONTNEED) blocked on a UFFD_EVENT_REMOVE monitor: time blocked, monitor wake-up";
    }

    @Override public void run(ProbeContext ctx) throws Exception {
        String name = "latency-uffd-remove";
        Map<String, Object> own = new LinkedHashMap<>();
        own.put("operation", "madvise(MADV_DONTNEED) of one page registered with UFFD_FEATURE_EVENT_REMOVE; monitor: poll + read");
        List<Integer> helpers = ctx.options().helperCpus().isEmpty() ? List.of(-1) : List.of(ctx.options().helperCpus().get(0));
        own.put("monitorCpu", helpers.get(0));
        IntervalLog log = ctx.newLog(id());
        TestBuilder t = ctx.test(name, own);
        if (helpers.get(0) < 0) t.note("one CPU in --cpus: the monitor is not pinned and shares it");
        try (ProbeMemory m = ProbeMemory.map(ctx.bridge(), Backing.ANON, Linux.PAGE_SIZE);
                NativeRun run = new NativeRun(ctx.bridge(), ProbeNative.UFFD_REMOVE, ctx.budget().bufferCapacity())) {
            run.addr(m.base()).length(Linux.PAGE_SIZE).cpu(ctx.options().measuringCpu()).helpers(helpers);
            Recorder r = new Recorder(List.of("madvise blocked (entry->return)", "monitor has event (entry->read)"), log);
            try {
                t.add(r, ctx.clock().label(), ProbeLoop.run(ctx.budget(), run.buffer(), run, r));
            } catch (NativeCallException e) {
                int call = run.errCall();
                if (call != ProbeNative.PCALL_USERFAULTFD && call != ProbeNative.PCALL_UFFDIO_API) throw e;
                ctx.skip(name, ctx.params(own), new Skip("userfaultfd with UFFD_FEATURE_EVENT_REMOVE unavailable: " + e.getMessage(),
                        "run as root or: sysctl vm.unprivileged_userfaultfd=1 (kernel >= 4.11 with CONFIG_USERFAULTFD)"));
                return;
            }
        }
        t.note("the wake-up compares stamps of two CPUs (TSC); it includes madvise's entry up to the event being queued");
        ctx.saveLog(id(), log).forEach(f -> t.file(ctx.relative(f)));
        ctx.emit(t.build());
    }
}
