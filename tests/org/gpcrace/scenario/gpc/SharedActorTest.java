package org.gpcrace.scenario.gpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gpcrace.bridge.NativeBridge;
import org.gpcrace.bridges.Bridges;
import org.gpcrace.bridges.Isolation;
import org.gpcrace.protocol.Protocol;
import org.gpcrace.result.TestResult;
import org.junit.jupiter.api.Test;

/**
 * Two runs at once in one JVM (two commands of a test, or a user's two threads) share the one
 * actor process: their calls take turns, each batch's records reach its own run, and neither
 * waits for the other forever (once, create and runBatch took the bridge's and the race's locks in
 * opposite orders). A batch is never interleaved with another's on the actor.
 */
class SharedActorTest {
    @Test
    void twoRunsAtOnceShareTheActor() {
        NativeBridge actor = Isolation.PROCESS.bridge(Bridges.open("ffm"));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<TestResult>> f = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Protocol p = i % 2 == 0 ? Protocol.RWLOCK : Protocol.SEQCOUNT_SRCU;
                    f.add(pool.submit(() -> GpcRun.run(GpcConfig.builder(p).rounds(3000).seed(5).build(), actor)));
                }
                for (Future<TestResult> r : f) {
                    TestResult t = r.get();
                    assertTrue(t.ran(), t.name() + ": " + t.error());
                    assertEquals(3000, t.rounds(), t.name());
                    GpcTesting.harnessSound(t);
                }
            } finally {
                pool.shutdownNow();
            }
        });
    }
}
