package org.gpcrace.scenario.gpc;

import static org.gpcrace.scenario.gpc.GpcTesting.figure;
import static org.gpcrace.scenario.gpc.GpcTesting.harnessSound;
import static org.gpcrace.scenario.gpc.GpcTesting.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.gpcrace.TestCaps;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridges.Isolation;
import org.gpcrace.protocol.LockKind;
import org.gpcrace.protocol.NonblockPolicy;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.protocol.ReaderMode;
import org.gpcrace.protocol.RefreshMode;
import org.gpcrace.result.TestResult;
import org.gpcrace.result.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The actor process (--isolation process, the default) and the JVM (--isolation jvm) give every
 * protocol, and every kind of round the engine has (guest readers kicked with tgkill, the
 * range-aware refresh, unmap rounds, several invalidations from two invalidators, PREEMPT_RT
 * locks, the defer worker, a storm), the same verdict: a safe configuration is ok in both after
 * the same rounds, an unsafe one reproduces its race in both within the same bound. The rounds
 * run in the actor's address space in one and in the JVM's in the other, through the same engine
 * and the same judge; the expectation of each comes from GpcVariant, as in every run.
 */
class IsolationVerdictsTest {
    static final long SAFE_ROUNDS = 5000, UNSAFE_BOUND = 300_000;

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void sameVerdictInTheActorAndInTheJvm(Protocol p) {
        if (p.usesUffd()) TestCaps.assume("uffd-event-remove");
        check(GpcConfig.builder(p));
    }

    /** The engine's round kinds beyond the plain one; safe and unsafe alike. */
    static Stream<Arguments> roundKinds() {
        return Stream.of(
                GpcConfig.builder(Protocol.SEQCOUNT_SRCU).readerMode(ReaderMode.GUEST),
                GpcConfig.builder(Protocol.SEQCOUNT_SRCU).readerMode(ReaderMode.GUEST).nonblock(NonblockPolicy.NO_WAIT),
                GpcConfig.builder(Protocol.SEQCOUNT_SRCU).nonblock(NonblockPolicy.DEFER),
                GpcConfig.builder(Protocol.RWLOCK).refresh(RefreshMode.WAIT),
                GpcConfig.builder(Protocol.RWLOCK).unmapEvery(2),
                GpcConfig.builder(Protocol.SEQCOUNT).unmapEvery(2),
                GpcConfig.builder(Protocol.RWLOCK).invalidations(3).invalidators(2),
                GpcConfig.builder(Protocol.RWLOCK).lock(LockKind.SLEEPING).preemptRt(true).invalidations(2),
                GpcConfig.builder(Protocol.RWLOCK).storm(16, 0))
                .map(b -> Arguments.of(b.build().variant().testName(), b));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roundKinds")
    void sameVerdictForEveryRoundKind(String name, GpcConfig.Builder b) {
        check(b);
    }

    private static void check(GpcConfig.Builder b) {
        GpcConfig probe = b.build();
        boolean safe = !probe.variant().expectation().declaredUnsafe();
        GpcConfig c = b.rounds(safe ? SAFE_ROUNDS : UNSAFE_BOUND).stopOnForbidden(!safe).seed(17).build();
        TestResult process = GpcRun.run(c, Isolation.PROCESS.bridge(Bridges.open("ffm")));
        TestResult jvm = GpcRun.run(c, Isolation.JVM.bridge(Bridges.open("ffm")));
        for (TestResult t : new TestResult[] {process, jvm}) {
            assertTrue(t.ran(), () -> t.name() + " did not run: " + (t.skip() != null ? t.skip().line() : t.error()));
            harnessSound(t);
            // guest readers are threads of the process the engine runs in: tgkill reaches them in the actor too
            if (c.readerMode() == ReaderMode.GUEST) assertTrue(figure(t, "kicks") > 0, t.name() + ": no reader was kicked");
        }
        Verdict expected = safe ? Verdict.OK : Verdict.RACE_REPRODUCED;
        assertEquals(expected, verdict(process), c.variant().testName() + " in the actor process: " + process.outcomes());
        assertEquals(verdict(jvm), verdict(process), c.variant().testName() + ": the JVM path's verdict " + jvm.outcomes());
        if (safe) assertEquals(jvm.rounds(), process.rounds(), "the same rounds");
    }
}
