package org.gpcrace.scenario.kvm;

import org.gpcrace.protocol.Source;
import static org.gpcrace.scenario.kvm.PvclockTestSupport.config;
import static org.gpcrace.scenario.kvm.PvclockTestSupport.kvmResources;
import static org.gpcrace.scenario.kvm.PvclockTestSupport.named;
import static org.gpcrace.scenario.kvm.PvclockTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.gpcrace.TestCaps;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.result.LatencySummary;
import org.gpcrace.result.MemslotUpdatesExtra;
import org.gpcrace.result.PvclockExtra;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kvm-pvclock against this machine's KVM. Needs /dev/kvm (skipped with the fix otherwise;
 * KvmPvclockGuardTest fails if /dev/kvm is usable and the scenario skips anyway). The kernel is
 * expected to be correct: lost-update must stay 0; the negative control shows the harness
 * would report it.
 */
class PvclockScenarioTest {
    static final NativeBridge FFM = Bridges.open("ffm");

    @BeforeEach
    void needsKvm() {
        TestCaps.assume("kvm");
        TestCaps.assume("kvm-sync-mmu");
    }

    static final String DONTNEED = PvclockScenario.testName(Source.DONTNEED);

    static long count(TestResult t, PvclockOutcome o) { return t.count(o.id()); }

    static PvclockExtra extra(TestResult t) { return (PvclockExtra) t.extra(); }

    static String describe(TestResult t) {
        StringBuilder s = new StringBuilder(t.name() + " " + t.status() + (t.error() != null ? " " + t.error() : ""));
        for (var o : t.outcomes()) s.append(' ').append(o.id()).append('=').append(o.count());
        return s.toString();
    }

    @Test
    void withoutInvalidatorEveryRunIsAnUpdate() throws Exception {
        TestResult t = named(run(FFM, config(3000, null, ClockUpdate.KVMCLOCK_CTRL, 0, 0, false)), PvclockScenario.testName(null));
        assertTrue(t.ran(), describe(t));
        assertEquals(3000, t.rounds());
        assertEquals(3000, count(t, PvclockOutcome.UPDATED), describe(t));
        assertEquals(0, t.forbiddenRounds(), describe(t));
    }

    @Test
    void withoutInvalidatorSystemTimeAdvancesOnEveryRun() throws Exception {
        TestResult t = named(run(FFM, config(2000, null, ClockUpdate.SET_CLOCK, 0, 0, false)), PvclockScenario.testName(null));
        assertEquals(2000, count(t, PvclockOutcome.UPDATED), describe(t));
        // the first run has nothing to compare with; every later one must show a larger system_time
        assertEquals(1999L, extra(t).race().systemTimeStrictlyAdvanced(), describe(t));
    }

    @Test
    void invalidatorForcesRefreshesAndOverlapsButNeverLosesAnUpdate() throws Exception {
        TestResult t = named(run(FFM, config(10_000, Source.DONTNEED, ClockUpdate.KVMCLOCK_CTRL, 0, 0, false)), DONTNEED);
        assertTrue(t.ran(), describe(t));
        assertEquals(10_000, t.rounds());
        assertTrue(count(t, PvclockOutcome.UPDATED_AFTER_REFRESH) > 0, "no run proved a GPC refresh in 10,000: " + describe(t));
        assertTrue(count(t, PvclockOutcome.INVALIDATED_DURING) > 0, "no invalidation overlapped a run in 10,000: " + describe(t));
        assertEquals(0, count(t, PvclockOutcome.LOST_UPDATE), describe(t));
        assertEquals(0, count(t, PvclockOutcome.HANG), describe(t));
        PvclockExtra x = extra(t);
        assertEquals(0L, x.sequential().lostUpdates());
        assertEquals(0L, x.race().logOverruns(), "the judge lost intervals");
        Map<String, LatencySummary> lat = byMetric(t);
        assertTrue(lat.get("KVM_RUN fast path").count() == 200 && lat.get("KVM_RUN after invalidation").count() == 200, lat.keySet().toString());
        assertEquals(200, lat.get("dontneed, cache active").count());
        assertEquals(200, lat.get("dontneed, cache deactivated").count());
        assertEquals(200, x.sequential().effective(), "every sequential DONTNEED must have zapped the page: " + x.sequential());
    }

    @Test
    void negativeControlUnloggedInvalidationsShowAsLostUpdates() throws Exception {
        TestResult t = named(run(FFM, config(3000, Source.DONTNEED, ClockUpdate.KVMCLOCK_CTRL, 0, 0, true)), DONTNEED);
        assertTrue(count(t, PvclockOutcome.LOST_UPDATE) > 0, "the oracle did not flag zapped updates it could not excuse: " + describe(t));
        assertNotNull(t.firstForbidden());
        assertEquals(0, count(t, PvclockOutcome.INVALIDATED_DURING), "nothing was logged, so nothing can be excused");
    }

    @Test
    void jnaBridgeGivesTheSameVerdicts() throws Exception {
        NativeBridge jna = Bridges.open("jna");
        TestResult quiet = named(run(jna, config(1500, null, ClockUpdate.KVMCLOCK_CTRL, 0, 0, false)), PvclockScenario.testName(null));
        assertEquals(1500, count(quiet, PvclockOutcome.UPDATED), describe(quiet));
        TestResult raced = named(run(jna, config(3000, Source.DONTNEED, ClockUpdate.KVMCLOCK_CTRL, 0, 0, false)), DONTNEED);
        assertEquals(0, count(raced, PvclockOutcome.LOST_UPDATE), describe(raced));
        assertTrue(count(raced, PvclockOutcome.INVALIDATED_DURING) > 0, describe(raced));
    }

    @Test
    void stormAndMemslotPhasesReportTheirFigures() throws Exception {
        List<TestResult> tests = run(FFM, config(1000, Source.DONTNEED, ClockUpdate.KVMCLOCK_CTRL, 1000, 100, false));
        assertEquals(List.of(DONTNEED, PvclockScenario.STORM, PvclockScenario.MEMSLOT_UPDATES), tests.stream().map(TestResult::name).toList());
        TestResult storm = named(tests, PvclockScenario.STORM), memslot = named(tests, PvclockScenario.MEMSLOT_UPDATES);
        assertTrue(storm.ran() && memslot.ran(), describe(storm) + " / " + describe(memslot));
        assertTrue(extra(storm).storm().invalidations() > 0, "the storm did not run");
        assertNotNull(extra(storm).storm().refreshInflation());
        assertEquals(0, storm.forbiddenRounds() + memslot.forbiddenRounds(), describe(storm) + " / " + describe(memslot));
        Map<String, LatencySummary> lat = byMetric(memslot);
        for (String m : List.of("memslot create (no stream)", "memslot delete (no stream)", "memslot create (stream)", "memslot delete (stream)")) {
            assertEquals(100, lat.get(m).count(), m);
        }
        assertTrue(((MemslotUpdatesExtra) memslot.extra()).streamInvalidations() > 0, "no invalidation stream");
    }

    @Test
    void everyKvmFdAndMappingIsReleasedAlsoWhenStopped() throws Exception {
        List<String> before = kvmResources();
        run(FFM, config(500, Source.DONTNEED, ClockUpdate.KVMCLOCK_CTRL, 0, 0, false));
        assertEquals(before, kvmResources(), "after a finished run");
        long deadline = System.nanoTime() + 300_000_000L;
        List<TestResult> stopped = run(FFM, config(Long.MAX_VALUE / 2, Source.DONTNEED, ClockUpdate.KVMCLOCK_CTRL, 1000, 100, false),
                () -> System.nanoTime() > deadline);
        assertEquals(before, kvmResources(), "after a stopped run (what Ctrl-C does)");
        assertEquals(List.of(), org.gpcrace.sys.HostChanges.openChanges(), "the trace instance must be gone too");
        TestResult t = named(stopped, DONTNEED);
        assertTrue(t.interrupted(), describe(t));
        assertEquals(1, stopped.size(), "no phase may start after the stop");
    }

    static Map<String, LatencySummary> byMetric(TestResult t) {
        Map<String, LatencySummary> m = new java.util.LinkedHashMap<>();
        for (LatencySummary l : t.latencies()) m.put(l.metric(), l);
        return m;
    }
}
