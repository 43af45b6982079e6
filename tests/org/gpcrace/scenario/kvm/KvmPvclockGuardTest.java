package org.gpcrace.scenario.kvm;

import org.gpcrace.protocol.Source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import org.gpcrace.TestCaps;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.Test;

/**
 * The twin of the KVM-dependent tests: fails when /dev/kvm is usable here (the doctor's probe
 * says so) but kvm-pvclock reports itself skipped; and when it is not usable, the skip must name
 * the reason and the fix.
 */
class KvmPvclockGuardTest {
    @Test
    void kvmPvclockRunsWhereverKvmIsUsable() throws Exception {
        boolean usable = TestCaps.has("kvm") && TestCaps.has("kvm-sync-mmu");
        List<TestResult> tests = PvclockTestSupport.run(Bridges.open("ffm"),
                PvclockTestSupport.config(200, Source.DONTNEED, ClockUpdate.KVMCLOCK_CTRL, 0, 0, false));
        TestResult t = PvclockTestSupport.named(tests, PvclockScenario.testName(Source.DONTNEED));
        if (usable) {
            assertEquals(org.gpcrace.result.Status.RAN, t.status(), "/dev/kvm is usable here but kvm-pvclock did not run: "
                    + (t.skip() != null ? t.skip().line() : t.error()));
        } else {
            assertEquals(org.gpcrace.result.Status.SKIPPED, t.status());
            assertNotNull(t.skip());
            assertFalse(t.skip().reason().isBlank() || t.skip().fix() == null || t.skip().fix().isBlank(), t.skip().line());
        }
    }
}
