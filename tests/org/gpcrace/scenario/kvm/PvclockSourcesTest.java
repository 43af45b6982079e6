package org.gpcrace.scenario.kvm;

import static org.gpcrace.scenario.kvm.PvclockTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.gpcrace.TestCaps;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.protocol.Source;
import org.gpcrace.result.PvclockExtra;
import org.gpcrace.result.Status;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.HostChanges;
import org.gpcrace.sys.ProcFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kvm-pvclock source against this machine's KVM (root, /dev/kvm, tracefs, KSM, THP, no swap):
 * each must run here (the only allowed skip is the kernel refusing swapon for pageout, with the
 * fix), refresh KVM's cache (updated-after-refresh), never lose an update, reach KVM the way the
 * source does (notifier events on the page, or none for the memslot source), do what it does
 * (sequential effect counts), and leave the host as it found it (journal empty, KSM knobs back,
 * no swap file, no trace instance).
 */
class PvclockSourcesTest {
    static final Path KSM = Path.of("/sys/kernel/mm/ksm");

    @BeforeEach
    void needsKvm() {
        TestCaps.assume("kvm");
        TestCaps.assume("kvm-sync-mmu");
    }

    static Stream<Source> sources() { return Source.in(Source.Scope.KVM).stream(); }

    static Map<String, String> hostState() throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : List.of("run", "sleep_millisecs", "pages_to_scan", "smart_scan")) {
            m.put("ksm/" + k, ProcFiles.read(KSM.resolve(k).toString()).orElse("absent"));
        }
        m.put("swaps", ProcFiles.read("/proc/swaps").orElse("?"));
        for (String root : List.of("/sys/kernel/tracing/instances", "/sys/kernel/debug/tracing/instances")) {
            if (!Files.isDirectory(Path.of(root))) continue;
            try (Stream<Path> s = Files.list(Path.of(root))) {
                m.put(root, s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("gpcrace-" + ProcessHandle.current().pid()))
                        .sorted().toList().toString());
            }
        }
        try (Stream<Path> s = Files.list(Path.of("/var/tmp"))) {
            m.put("swap files", s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("gpcrace-swap-")).toList().toString());
        }
        return m;
    }

    @ParameterizedTest
    @MethodSource("sources")
    void eachSourceRunsRefreshesNeverLosesAndRestoresTheHost(Source s) throws Exception {
        Map<String, String> before = hostState();
        PvclockConfig c = config(2000, s, ClockUpdate.KVMCLOCK_CTRL, 0, 0, false).withSequentialBudgetNs(800_000_000L);
        TestResult t = PvclockTestSupport.named(PvclockTestSupport.run(Bridges.open("ffm"), c), PvclockScenario.testName(s));
        assertEquals(before, hostState(), s.id() + ": the host must be as it was (KSM knobs, swap, trace instances)");
        assertEquals(List.of(), HostChanges.openChanges(), s.id() + ": journal entries left");
        if (s == Source.PAGEOUT && t.status() == Status.SKIPPED) {
            // the one refusal this machine may give: swapon of a swap file; it must say so and name the fix
            assertTrue(t.skip().reason().contains("swapon") && t.skip().fix().contains("swap"), t.skip().line());
            return;
        }
        assertEquals(Status.RAN, t.status(), s.id() + " must run on this machine: " + (t.skip() != null ? t.skip().line() : t.error()));
        PvclockExtra x = (PvclockExtra) t.extra();
        String d = PvclockScenarioTest.describe(t) + " " + x.race() + " " + x.sequential();
        assertEquals(0, t.count(PvclockOutcome.LOST_UPDATE.id()), d);
        assertEquals(0, t.count(PvclockOutcome.HANG.id()), d);
        assertTrue(t.count(PvclockOutcome.UPDATED_AFTER_REFRESH.id()) > 0, "no race run proved a refresh: " + d);
        assertTrue(t.rounds() >= 2000, "--runs, or more until the invalidator did 20 cycles: " + d);

        PvclockExtra.Sequential q = x.sequential();
        assertNotNull(q, d);
        assertTrue(q.samples() >= 3 && q.lostUpdates() == 0, d);
        long minEffective = switch (s) {
            case DONTNEED, PAGEOUT, REMAP, FORK -> q.samples();   // the kernel does these every time
            case COLLAPSE, KSM -> (q.samples() + 1) / 2;          // a transient refusal, a merge not seen within 1 s: rare
            // compaction (one NUMA node) moves the pages it chooses: how often is reported, not asserted
            default -> 0;                                         // nothing the tool reads can tell (free, mprotect, split, memslot)
        };
        assertTrue(q.effective() >= minEffective, s.id() + ": " + q.effective() + " of " + q.samples() + " did it (" + q.effectMeaning() + ")");

        PvclockExtra.Evidence e = x.evidence();
        if (TestCaps.has("tracefs")) {
            assertTrue(e.available(), "tracefs is usable here but the evidence is missing: " + e.note());
            assertEquals(0, e.lostEvents(), "the trace must be complete: " + e);
            assertTrue(e.pvclockUpdates() > 0 && e.pvclockUpdates() <= e.kvmRuns() + 5, "KVM wrote more often than it ran (beyond its own few clock updates): " + e);
            if (s == Source.MEMSLOT) {
                assertEquals(0, e.unmapCoveringPvclock(), "a memslot change reaches the cache through the generation, not the notifier: " + e);
            } else {
                assertTrue(e.unmapCoveringPvclock() > 0, s.id() + " never reached KVM's notifier on the page: " + e);
            }
            if (s == Source.KSM) assertTrue(e.unmapCoveringPvclockFromOthers() > 0, "ksmd's merges are the invalidations: " + e);
            boolean traceJudges = !(s == Source.MPROTECT || s == Source.MEMSLOT);
            assertEquals(traceJudges ? "trace" : "system calls", x.oracle().judgedBy(), x.oracle().toString());
            if (traceJudges) assertEquals(0, x.race().traceWindows().outsideEveryCall(), "an invalidation outside the logged calls: " + x.race());
        }
        assertFalse(x.oracle().canShow().isEmpty() || x.oracle().cannotShow().isEmpty(), x.oracle().toString());
    }
}
