package org.gpcrace.scenario.memory;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.harness.Test;
import org.gpcrace.harness.TestContext;
import org.gpcrace.result.Expectation;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.GuestMemory;
import org.gpcrace.bridge.Linux;
import org.gpcrace.sys.PageInfo;
import org.gpcrace.sys.Pagemap;

/**
 * The suite's guest-memory demonstration, for one backing: write a page, read its frame,
 * MADV_DONTNEED, touch it again, read the frame again. Anonymous memory gets a new zero-filled
 * frame; shmem keeps its content and its frame (the frames are shown where pagemap reveals them).
 */
public record DontneedTest(Backing backing, NativeBridge bridge) implements Test {
    static final long PATTERN = 0x67706372616365L; // "gpcrace"

    @Override public String name() { return "memory-dontneed-" + backing.id(); }

    @Override public String scenario() { return "memory"; }

    @Override public void run(TestContext ctx) {
        PageInfo before, after;
        long c0, c1;
        long t0 = System.nanoTime();
        try (GuestMemory m = GuestMemory.map(bridge, backing, 1); Pagemap pm = new Pagemap()) {
            m.writeLong(0, 0, PATTERN);
            before = pm.page(m.base());
            c0 = m.readLong(0, 0);
            m.madvise(0, 1, Linux.MADV_DONTNEED);
            c1 = m.readLong(0, 0); // the touch: refaults the page
            after = pm.page(m.base());
        }
        boolean kept = c1 == c0;
        DontneedOutcome seen = backing.fileBacked() ? (kept ? DontneedOutcome.CONTENT_KEPT : DontneedOutcome.UNEXPECTED_CONTENT)
                : (c1 == 0 ? DontneedOutcome.ZEROED : DontneedOutcome.UNEXPECTED_CONTENT);
        String frames = before.frame().isEmpty() || after.frame().isEmpty() ? "frame unknown"
                : before.frame().getAsLong() == after.frame().getAsLong() ? "same frame" : "new frame";
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("backing", backing.id());
        TestResult.Builder b = TestResult.builder(name(), scenario(), params).unit("pages").rounds(1, (System.nanoTime() - t0) / 1e9)
                .expectation(Expectation.safe("madvise(2): MADV_DONTNEED of a private anonymous page refaults zero-filled, a shared page keeps its content"));
        for (DontneedOutcome o : DontneedOutcome.values()) b.outcome(o, o == seen ? 1 : 0);
        b.note(String.format("frame before %s, after %s (%s); content before 0x%x, after 0x%x", before.frameText(), after.frameText(),
                frames, c0, c1));
        ctx.report(b.build());
    }
}
