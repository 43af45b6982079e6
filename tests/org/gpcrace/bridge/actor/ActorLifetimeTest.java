package org.gpcrace.bridge.actor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * No actor outlives its JVM: a child JVM starts an actor and is killed with SIGKILL (no shutdown
 * hook runs); the actor must be gone within a second (PR_SET_PDEATHSIG, and its stdin pipe hanging
 * up). The twin: while the JVM lives, the actor lives (the check sees a live actor as alive).
 */
class ActorLifetimeTest {
    /** Running, not a zombie waiting for init to reap it (a dead orphan stays in the table until then). */
    static boolean running(long pid) {
        String stat = org.gpcrace.sys.ProcFiles.read("/proc/" + pid + "/stat").orElse(null);
        if (stat == null) return false;
        char state = stat.charAt(stat.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X';
    }

    @Test
    void theActorDiesWithItsJvm() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        String dir = System.getProperty("gpcrace.native.dir");
        if (dir != null) cmd.add("-Dgpcrace.native.dir=" + dir);
        cmd.add(ActorChild.class.getName());
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long actor;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            assertTrue(line != null && line.startsWith("actor "), "the child JVM started an actor: " + line);
            actor = Long.parseLong(line.substring(6).trim());
            Optional<ProcessHandle> h = ProcessHandle.of(actor);
            assertTrue(h.isPresent() && running(actor), "the actor lives while its JVM does");
            assertTrue(h.get().parent().map(ProcessHandle::pid).orElse(-1L) == child.pid(), "its parent is the JVM");
            Thread.sleep(300); // past the actor's first idle tick: it is waiting for requests
            assertTrue(running(actor), "still alive while its JVM is");
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no EXIT request
            child.waitFor();
            long deadline = System.nanoTime() + 1_000_000_000L;
            while (running(actor) && System.nanoTime() < deadline) Thread.sleep(10);
            assertTrue(!running(actor), "actor " + actor + " outlived its killed JVM");
        } finally {
            child.destroyForcibly();
        }
    }
}
