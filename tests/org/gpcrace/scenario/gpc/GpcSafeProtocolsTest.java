package org.gpcrace.scenario.gpc;

import org.gpcrace.protocol.Source;
import org.gpcrace.protocol.LockKind;
import static org.gpcrace.scenario.gpc.GpcTesting.figure;
import static org.gpcrace.scenario.gpc.GpcTesting.harnessSound;
import static org.gpcrace.scenario.gpc.GpcTesting.run;
import static org.gpcrace.scenario.gpc.GpcTesting.stale;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.gpcrace.TestCaps;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.result.TestResult;
import org.gpcrace.sys.Backing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each protocol expected to be safe shows no FORBIDDEN outcome over 20,000 rounds, with the
 * zapping source (anon DONTNEED: a new zero frame) and with a content-preserving one (shmem
 * DONTNEED: same page, counters reset by the harness). Each has a negative control: its unsafe
 * twin with the same parameters, caught by the same harness within a bounded number of rounds.
 */
class GpcSafeProtocolsTest {
    static final long ROUNDS = 20_000;
    static final long CONTROL_ROUNDS = 300_000;

    record Case(Protocol safe, LockKind lock, Protocol unsafeTwin) {
        @Override public String toString() { return safe.id() + "/" + lock.id(); }
    }

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        Case[] cases = {
                new Case(Protocol.RWLOCK, LockKind.SPIN, Protocol.UNLOCKED),
                new Case(Protocol.RWLOCK, LockKind.SLEEPING, Protocol.UNLOCKED),
                new Case(Protocol.SEQCOUNT_SRCU, LockKind.SPIN, Protocol.SEQCOUNT_SRCU_UNMAP_ONLY),
                new Case(Protocol.UFFD_INVALIDATE_THEN_READ, LockKind.SPIN, Protocol.UFFD_READ_THEN_INVALIDATE),
        };
        for (Case c : cases) {
            b.add(Arguments.of(c, Backing.ANON, false));
            b.add(Arguments.of(c, Backing.SHMEM, true));
        }
        return b.build();
    }

    static GpcConfig.Builder config(Protocol p, LockKind lock, Backing backing) {
        return GpcConfig.builder(p).lock(lock).backing(backing).source(Source.DONTNEED).seed(7);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void safeProtocolShowsNoForbiddenOutcome(Case c, Backing backing, boolean preserving) {
        if (c.safe().usesUffd()) TestCaps.assume("uffd-event-remove");
        TestResult t = run(config(c.safe(), c.lock(), backing).rounds(ROUNDS).build());
        harnessSound(t);
        assertEquals(ROUNDS, t.rounds());
        assertEquals(0, t.forbiddenRounds(), () -> t.name() + " " + backing.id() + ": " + t.observationLine());
        // not vacuous: every round invalidated the cache and readers went through the refresh
        assertEquals(ROUNDS, figure(t, "invalidatedRounds"));
        assertEquals(ROUNDS, figure(t, "zappedRounds"));
        assertTrue(figure(t, "refreshes") >= ROUNDS, "readers refreshed after each invalidation");
        assertEquals(preserving ? ROUNDS : 0, figure(t, "counterResetRounds"), "content-preserving source: counters reset each round");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void unsafeTwinIsCaughtByTheSameHarness(Case c, Backing backing, boolean preserving) {
        if (c.safe().usesUffd()) TestCaps.assume("uffd-event-remove");
        TestResult t = run(config(c.unsafeTwin(), c.lock(), backing).rounds(CONTROL_ROUNDS).stopOnForbidden(true).build());
        harnessSound(t);
        assertNotNull(t.firstForbidden(), () -> t.name() + " " + backing.id() + ": no FORBIDDEN outcome in " + t.rounds() + " rounds");
        assertTrue(stale(t) > 0, "the negative control's forbidden outcome is a stale access");
    }

    /** Twin of the assumption above: where userfaultfd can run, the uffd cases must not be skipped. */
    @Test
    void uffdProtocolRunsWhereUserfaultfdIsAvailable() {
        if (!TestCaps.has("uffd-event-remove")) return;
        TestResult t = GpcRun.run(config(Protocol.UFFD_INVALIDATE_THEN_READ, LockKind.SPIN, Backing.ANON).rounds(500).build(),
                org.gpcrace.bridges.Bridges.open("ffm"));
        assertTrue(t.ran(), () -> "userfaultfd is available but the uffd run did not run: "
                + (t.skip() != null ? t.skip().line() : t.error()));
    }
}
