package org.gpcrace.scenario.pin;

import org.gpcrace.result.PinExtra;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gpcrace.TestCaps;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * pin through both bridges: stale-pin every time for vmsplice and io_uring after DONTNEED and
 * after a MAP_FIXED remap (io_uring skips only when the kernel refuses it, and the doctor must
 * agree), refused every time for mlock; the negative control (the mapping keeps its frame) must
 * come out follows-mapping every time, so the harness would see a reference that moved along.
 */
class PinScenarioTest {
    static final long TRIALS = 100;

    static String describe(TestResult t) {
        StringBuilder s = new StringBuilder(t.name() + " " + t.status() + (t.skip() != null ? " " + t.skip().line() : ""));
        for (var o : t.outcomes()) s.append(' ').append(o.id()).append('=').append(o.count());
        return s.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void everyReferenceIsStaleAndMlockIsRefused(String bridgeName) {
        List<TestResult> tests = new PinScenario(Bridges.open(bridgeName), TRIALS, () -> false).run(t -> { });
        assertEquals(List.of("pin-vmsplice-dontneed", "pin-vmsplice-remap", "pin-io_uring-dontneed", "pin-io_uring-remap",
                "pin-mlock-dontneed"), tests.stream().map(TestResult::name).toList());
        for (TestResult t : tests) {
            if (t.name().contains("io_uring") && !t.ran()) {
                // skipping is allowed only where the kernel refuses io_uring, which the doctor must see too
                assertTrue(!TestCaps.has("io_uring") || t.skip().reason().contains("registration"), describe(t));
                continue;
            }
            assertTrue(t.ran(), describe(t));
            assertEquals(TRIALS, t.rounds());
            String expected = t.name().contains("mlock") ? PinOutcome.REFUSED.id() : PinOutcome.STALE_PIN.id();
            assertEquals(TRIALS, t.count(expected), describe(t));
            assertEquals(0, t.forbiddenRounds(), describe(t));
            if (TestCaps.has("pagemap-frames") && !t.name().contains("mlock")) {
                assertEquals(TRIALS, ((PinExtra) t.extra()).framesDiffered(), "old and new frame differ: " + describe(t));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vmsplice", "io_uring"})
    void negativeControlAReferenceToTheLiveFrameFollowsTheMapping(String reference) {
        if (reference.equals("io_uring")) TestCaps.assume("io_uring");
        NativeBridge b = Bridges.open("ffm");
        TestResult t = new PinScenario(b, 20, () -> false).referenceTest(reference, PinMove.NONE);
        assertTrue(t.ran(), describe(t));
        assertEquals(20, t.count(PinOutcome.FOLLOWS_MAPPING.id()), describe(t));
        assertEquals(20, t.forbiddenRounds(), "the harness reports it as FORBIDDEN");
    }
}
