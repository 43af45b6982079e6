package org.gpcrace.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gpcrace.result.Grade;
import org.gpcrace.result.OutcomeCount;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.GuestMemory;
import org.gpcrace.sys.Linux;
import org.gpcrace.sys.PageInfo;
import org.gpcrace.sys.Pagemap;

/**
 * The suite's guest-memory demonstration: per backing, write a page, read its frame, DONTNEED,
 * touch it again, read the frame again. anon gets a new zero frame; shmem keeps content and frame.
 */
final class MemoryDemo implements SuiteStep {
    static final long PATTERN = 0x67706372616365L; // "gpcrace"

    @Override public String name() { return "guest memory: write, DONTNEED, touch (per backing)"; }

    /** What happened to one page across a DONTNEED. */
    record Observed(Backing backing, PageInfo before, PageInfo after, long contentBefore, long contentAfter) {
        boolean contentKept() { return contentAfter == contentBefore; }

        String frameChange() {
            if (before.frame().isEmpty() || after.frame().isEmpty()) return "frame unknown";
            return before.frame().getAsLong() == after.frame().getAsLong() ? "same frame" : "new frame";
        }
    }

    static Observed observe(Backing backing) {
        try (GuestMemory m = GuestMemory.map(GlobalOptions.bridge(), backing, 1); Pagemap pm = new Pagemap()) {
            m.writeLong(0, 0, PATTERN);
            PageInfo before = pm.page(m.base());
            long c0 = m.readLong(0, 0);
            m.madvise(0, 1, Linux.MADV_DONTNEED);
            long c1 = m.readLong(0, 0); // the touch: refaults the page
            PageInfo after = pm.page(m.base());
            return new Observed(backing, before, after, c0, c1);
        }
    }

    @Override public void run(PrintWriter out, Path outDir, Consumer<TestResult> finished) {
        out.printf("%-7s %-14s %-14s %-18s %-18s %s%n", "BACKING", "FRAME BEFORE", "FRAME AFTER", "CONTENT BEFORE", "CONTENT AFTER", "RESULT");
        for (Backing b : List.of(Backing.ANON, Backing.SHMEM)) {
            Observed o = observe(b);
            String result = (o.contentKept() ? "content kept" : "zeroed") + ", " + o.frameChange();
            out.printf("%-7s %-14s %-14s 0x%-16x 0x%-16x %s%n", b.id(), o.before().frameText(), o.after().frameText(),
                    o.contentBefore(), o.contentAfter(), result);
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("backing", b.id());
            params.put("frameBefore", o.before().frameText());
            params.put("frameAfter", o.after().frameText());
            String id = o.contentKept() ? "content-kept" : "zeroed";
            finished.accept(new TestResult("memory-demo-" + b.id(), "memory-demo", params, "ran", null, null, 1, 0, 0,
                    List.of(new OutcomeCount(id, 1, Grade.ACCEPTABLE, "MADV_DONTNEED then touch: " + result)),
                    null, List.of(), Map.of()));
        }
    }
}
