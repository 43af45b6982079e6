package org.gpcrace.scenario.kvm;

import static org.gpcrace.scenario.kvm.PvclockTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gpcrace.TestCaps;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.protocol.Source;
import org.gpcrace.result.KickExtra;
import org.gpcrace.result.PvclockExtra;
import org.gpcrace.result.Status;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.HostChanges;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several vCPUs with their own pv_time caches, on one page and on distinct pages: every update
 * arrives, both in the race and when all refresh together; and the guest-mode kick: with the vCPU
 * in guest mode the invalidation makes it leave guest mode inside the call (the flush IPI, seen in
 * the trace), halted or not running it does not.
 */
class VcpusAndKickTest {
    @BeforeEach
    void needsKvm() {
        TestCaps.assume("kvm");
        TestCaps.assume("kvm-sync-mmu");
    }

    @Test
    void twoVcpusOnOnePageAndOnDistinctPagesRefreshTogetherWithoutLosingAnUpdate() throws Exception {
        PvclockConfig c = config(2000, Source.DONTNEED, ClockUpdate.KVMCLOCK_CTRL, 0, 0, false).withVcpus(2);
        List<TestResult> tests = PvclockTestSupport.run(Bridges.open("ffm"), c);
        for (boolean distinct : new boolean[] {false, true}) {
            TestResult t = PvclockTestSupport.named(tests, VcpusTest.name(distinct));
            assertEquals(Status.RAN, t.status(), t.name() + ": " + t.error());
            PvclockExtra x = (PvclockExtra) t.extra();
            String d = PvclockScenarioTest.describe(t) + " " + x.contention();
            assertEquals(0, t.count(PvclockOutcome.LOST_UPDATE.id()), d);
            assertTrue(t.count(PvclockOutcome.UPDATED_AFTER_REFRESH.id()) > 0, d);
            assertEquals(2, x.race().vcpus());
            PvclockExtra.Contention k = x.contention();
            assertEquals(distinct, k.distinctPages());
            assertTrue(k.samples() >= 3 && k.lostUpdates() == 0, d);
            assertTrue(k.togetherP50Ns() > 0 && k.aloneP50Ns() > 0, d);
            if (TestCaps.has("tracefs")) assertTrue(x.evidence().pvclockUpdates() >= 2 * 2000, "both vCPUs' caches wrote: " + x.evidence());
        }
        assertEquals(List.of(), HostChanges.openChanges());
    }

    @Test
    void theFlushKicksAVcpuInGuestModeAndNotAHaltedOrStoppedOne() throws Exception {
        TestCaps.assume("tracefs");
        PvclockConfig c = config(1000, Source.DONTNEED, ClockUpdate.KVMCLOCK_CTRL, 0, 0, false).withKickSamples(60);
        TestResult t = PvclockTestSupport.named(PvclockTestSupport.run(Bridges.open("ffm"), c), KickTest.NAME);
        assertEquals(Status.RAN, t.status(), t.error());
        KickExtra k = (KickExtra) t.extra();
        assertTrue(k.traced(), k.note());
        assertEquals(List.of("guest mode", "halted", "not running"), k.states().stream().map(KickExtra.State::state).toList());
        KickExtra.State guest = k.states().get(0), halted = k.states().get(1), stopped = k.states().get(2);
        for (KickExtra.State s : k.states()) assertEquals(60, s.samples(), s.toString());
        // a vCPU in guest mode must leave it before the call returns (KVM_REQUEST_WAIT); allow a few samples where the
        // guest had not yet written the page back (no SPTE to zap, no flush)
        assertTrue(guest.exitsInWindow() >= 54, "guest mode: " + guest);
        // halted or not running, no IPI is needed; a host interrupt may still coincide with a call now and then
        assertTrue(halted.exitsInWindow() <= 6 && stopped.exitsInWindow() <= 6, halted + " / " + stopped);
        assertTrue(guest.exitReasons().values().stream().mapToLong(Long::longValue).sum() == guest.exitsInWindow(), guest.toString());
        assertEquals(List.of(), HostChanges.openChanges());
    }
}
