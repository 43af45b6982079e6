package org.gpcrace.scenario.gpc;

import org.gpcrace.protocol.Source;
import org.gpcrace.protocol.NonblockPolicy;
import static org.gpcrace.scenario.gpc.GpcTesting.figure;
import static org.gpcrace.scenario.gpc.GpcTesting.harnessSound;
import static org.gpcrace.scenario.gpc.GpcTesting.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gpcrace.TestCaps;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.Backing;
import org.gpcrace.sys.HostFacts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every invalidation source runs under rwlock on a backing it supports, with a real kernel
 * operation each round and no FORBIDDEN outcome (mprotect included: a SIGSEGV guard lives beside
 * the JVM's handler); the unlocked control is caught with mprotect too; nonsense is refused.
 */
class GpcSourcesTest {
    static Backing backingFor(Source s) {
        return switch (s) {
            case REMOVE, PUNCH_HOLE -> Backing.SHMEM;
            case COLLAPSE -> Backing.THP;
            default -> Backing.ANON;
        };
    }

    static java.util.List<Source> raceSources() { return Source.in(Source.Scope.GPC); }

    @ParameterizedTest
    @MethodSource("raceSources")
    void everySourceRunsCleanUnderRwlock(Source s) {
        Backing b = backingFor(s);
        if (b == Backing.THP) org.junit.jupiter.api.Assumptions.assumeTrue(HostFacts.probe().thpUsable(),
                "THP is " + HostFacts.probe().thpMode() + ": echo madvise > /sys/kernel/mm/transparent_hugepage/enabled");
        long rounds = s == Source.COLLAPSE ? 200 : 2000;
        TestResult t = run(GpcConfig.builder(Protocol.RWLOCK).source(s).backing(b).rounds(rounds).seed(4).build());
        harnessSound(t);
        assertEquals(0, t.forbiddenRounds(), s.id() + ": " + t.observationLine());
        assertEquals(rounds, figure(t, "zappedRounds"), s.id() + ": the kernel operation failed: " + t.figures());
        if (TestCaps.has("pagemap-frames") && (s == Source.REMAP || s == Source.COLLAPSE || s == Source.REMOVE)) {
            assertEquals(figure(t, "framesKnownRounds"), figure(t, "frameChangedRounds"), s.id() + " gives the page a new frame");
        }
    }

    /** Twin of the THP assumption: where THP can be used, collapse must not be skipped. */
    @Test
    void collapseRunsWhereThpIsUsable() {
        if (!HostFacts.probe().thpUsable()) return;
        TestResult t = GpcRun.run(GpcConfig.builder(Protocol.RWLOCK).source(Source.COLLAPSE).backing(Backing.THP).rounds(20).build(),
                org.gpcrace.bridges.Bridges.open("ffm"));
        assertTrue(t.ran(), () -> "THP is usable but collapse did not run: " + (t.skip() != null ? t.skip().line() : t.error()));
    }

    @Test
    void mprotectWindowCatchesUnlocked() {
        TestResult t = run(GpcConfig.builder(Protocol.UNLOCKED).source(Source.MPROTECT).rounds(300_000).stopOnForbidden(true).seed(4).build());
        harnessSound(t);
        assertTrue(t.firstForbidden() != null && GpcTesting.stale(t) > 0, "unlocked + mprotect: no stale access");
    }

    @Test
    void invalidCombinationsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> GpcConfig.builder(Protocol.RWLOCK).source(Source.REMOVE).backing(Backing.ANON).build());
        assertThrows(IllegalArgumentException.class, () -> GpcConfig.builder(Protocol.RWLOCK).source(Source.COLLAPSE).backing(Backing.ANON).build());
        assertThrows(IllegalArgumentException.class, () -> GpcConfig.builder(Protocol.RWLOCK).source(Source.FREE).backing(Backing.SHMEM).build());
        assertThrows(IllegalArgumentException.class, () -> GpcConfig.builder(Protocol.PINNED).backing(Backing.ANON).build());
        assertThrows(IllegalArgumentException.class, () -> GpcConfig.builder(Protocol.UFFD_INVALIDATE_THEN_READ).source(Source.MPROTECT).build());
        assertThrows(IllegalArgumentException.class, () -> GpcConfig.builder(Protocol.UFFD_INVALIDATE_THEN_READ).nonblock(NonblockPolicy.SLEEP).build());
        assertThrows(IllegalArgumentException.class, () -> GpcConfig.builder(Protocol.RWLOCK).source(Source.REMAP).invalidator(InvalidatorKind.JAVA).build());
        assertThrows(IllegalArgumentException.class, () -> GpcConfig.builder(Protocol.RWLOCK).readers(65).build());
    }
}
