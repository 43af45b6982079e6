package org.gpcrace.scenario.gpc;

import org.gpcrace.protocol.Source;
import static org.gpcrace.scenario.gpc.GpcTesting.figure;
import static org.gpcrace.scenario.gpc.GpcTesting.harnessSound;
import static org.gpcrace.scenario.gpc.GpcTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridge.RaceNative;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.Backing;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FFM and JNA drive the same engine to the same verdicts where the outcome is deterministic
 * (pinned + remap stale every round, rwlock never), agree on the native tables, and both carry
 * the Java invalidator (the kernel operation is a bridge call inside the race window).
 */
class GpcBridgeAgreementTest {
    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void nativeTablesMatchJava(String bridge) {
        RaceNative race = Bridges.open(bridge).race();
        assertEquals(Protocol.values().length, race.protocolCount());
        for (Protocol p : Protocol.values()) {
            int i = race.protocolIndex(p.id());
            assertTrue(i >= 0, "native helper lacks protocol " + p.id());
            assertEquals(p.id(), race.protocolId(i));
        }
        assertEquals(-1, race.protocolIndex("no-such-protocol"));
        for (Source s : Source.in(Source.Scope.GPC)) assertEquals(s.id(), race.sourceName(s.gpcCode()));
        assertTrue(race.sourcePreservesContent(Source.DONTNEED.gpcCode(), GpcRun.backingCode(Backing.SHMEM)));
        assertTrue(!race.sourcePreservesContent(Source.DONTNEED.gpcCode(), GpcRun.backingCode(Backing.ANON)));
        assertEquals(RoundRecord.bytes(3), race.roundBytes(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void sameVerdictsThroughBothBridges(String bridge) {
        TestResult pinned = run(GpcConfig.builder(Protocol.PINNED).rounds(1000).seed(9).build(), bridge);
        harnessSound(pinned);
        assertEquals(1000, figure(pinned, "forbiddenRounds"), bridge + ": pinned+remap stale every round");
        TestResult rw = run(GpcConfig.builder(Protocol.RWLOCK).rounds(3000).seed(9).build(), bridge);
        harnessSound(rw);
        assertEquals(3000, rw.rounds());
        assertEquals(0, rw.forbiddenRounds(), bridge + ": rwlock");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void javaInvalidatorThroughEachBridge(String bridge) {
        TestResult safe = run(GpcConfig.builder(Protocol.RWLOCK).invalidator(InvalidatorKind.JAVA).rounds(3000).seed(2).build(), bridge);
        harnessSound(safe);
        assertEquals(3000, figure(safe, "zappedRounds"), bridge + ": the Java thread's madvise ran every round");
        assertEquals(0, safe.forbiddenRounds());
        TestResult unsafe = run(GpcConfig.builder(Protocol.UNLOCKED).invalidator(InvalidatorKind.JAVA).rounds(300_000)
                .stopOnForbidden(true).seed(2).build(), bridge);
        harnessSound(unsafe);
        assertNotNull(unsafe.firstForbidden(), bridge + ": the Java invalidator's race was not caught");
    }
}
