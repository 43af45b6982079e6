package org.gpcrace.scenario.gpc;

import static org.gpcrace.scenario.gpc.GpcTesting.harnessSound;
import static org.gpcrace.scenario.gpc.GpcTesting.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gpcrace.TestCaps;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridges.Isolation;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.result.TestResult;
import org.gpcrace.result.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The actor process (--isolation process, the default) and the JVM (--isolation jvm) give every
 * protocol the same verdict: a safe protocol is ok in both after the same rounds, an unsafe one
 * reproduces its race in both within the same bound. The rounds run in the actor's address space
 * in one and in the JVM's in the other, through the same engine and the same judge.
 */
class IsolationVerdictsTest {
    static final long SAFE_ROUNDS = 5000, UNSAFE_BOUND = 300_000;

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void sameVerdictInTheActorAndInTheJvm(Protocol p) {
        if (p.usesUffd()) TestCaps.assume("uffd-event-remove");
        boolean safe = p.expectedSafe();
        GpcConfig c = GpcConfig.builder(p).rounds(safe ? SAFE_ROUNDS : UNSAFE_BOUND).stopOnForbidden(!safe).seed(17).build();
        TestResult process = GpcRun.run(c, Isolation.PROCESS.bridge(Bridges.open("ffm")));
        TestResult jvm = GpcRun.run(c, Isolation.JVM.bridge(Bridges.open("ffm")));
        for (TestResult t : new TestResult[] {process, jvm}) {
            assertTrue(t.ran(), () -> t.name() + " did not run: " + (t.skip() != null ? t.skip().line() : t.error()));
            harnessSound(t);
        }
        Verdict expected = safe ? Verdict.OK : Verdict.RACE_REPRODUCED;
        assertEquals(expected, verdict(process), p.id() + " in the actor process: " + process.outcomes());
        assertEquals(verdict(jvm), verdict(process), p.id() + ": the JVM path's verdict " + jvm.outcomes());
        if (safe) assertEquals(jvm.rounds(), process.rounds(), "the same rounds");
    }
}
