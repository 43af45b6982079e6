package org.gpcrace.scenario.gpc;

import static org.gpcrace.scenario.gpc.GpcTesting.verdict;
import static org.gpcrace.scenario.gpc.GpcTesting.count;
import static org.gpcrace.scenario.gpc.GpcTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.gpcrace.protocol.GpcOutcome;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.result.TestResult;
import org.gpcrace.result.Verdict;
import org.junit.jupiter.api.Test;

/**
 * A round that never finishes (reader 0 stalls inside its read section, so the invalidator's
 * write lock waits forever) ends the test with `hang`: threads stopped, memory released, and the
 * next run works.
 */
class GpcWatchdogTest {
    @Test
    void hungRoundEndsTheRunCleanly() {
        TestResult t = run(GpcConfig.builder(Protocol.RWLOCK).rounds(1000).injectHangAtRound(50)
                .watchdog(Duration.ofMillis(400)).build());
        assertEquals(1, count(t, GpcOutcome.HANG));
        assertEquals(49, t.rounds(), "the 49 finished rounds are kept");
        assertEquals(50, t.firstForbidden().round());
        assertEquals("hang", t.firstForbidden().outcome());
        assertEquals(Verdict.FINDING, verdict(t), "a hang is a finding");
        TestResult next = run(GpcConfig.builder(Protocol.RWLOCK).rounds(500).build());
        assertEquals(500, next.rounds());
        assertEquals(0, next.forbiddenRounds());
    }
}
