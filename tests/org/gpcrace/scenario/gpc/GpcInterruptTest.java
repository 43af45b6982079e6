package org.gpcrace.scenario.gpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.Test;

/** A stop request (Ctrl-C) ends a run at its next batch with the rounds it judged, marked interrupted. */
class GpcInterruptTest {
    @Test
    void stopEndsTheRunEarlyAndKeepsItsRounds() {
        AtomicInteger polls = new AtomicInteger();
        GpcConfig cfg = GpcConfig.builder(Protocol.RWLOCK).duration(Duration.ofSeconds(60)).seed(3).build();
        long t0 = System.nanoTime();
        TestResult t = GpcRun.run(cfg, Bridges.open(), () -> polls.incrementAndGet() > 2, n -> { });
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 30, "stopped long before the 60 s duration, took " + seconds);
        assertTrue(t.rounds() > 0, "the judged rounds are kept");
        assertTrue(t.interrupted());
        // every kept round was judged: clean, or with a FORBIDDEN outcome, or only interesting ones
        long interestingOnly = t.rounds() - t.count("clean") - t.forbiddenRounds();
        assertTrue(interestingOnly >= 0 && interestingOnly <= t.count("refresh-livelock") + t.count("eagain"),
                "every kept round was judged: " + t.rounds() + " rounds, " + t.outcomes());
    }

    @Test
    void anUninterruptedRunIsNotMarked() {
        TestResult t = GpcRun.run(GpcConfig.builder(Protocol.RWLOCK).rounds(500).seed(3).build(), Bridges.open(), () -> false, n -> { });
        assertTrue(!t.interrupted());
        assertEquals(500, t.rounds());
    }
}
