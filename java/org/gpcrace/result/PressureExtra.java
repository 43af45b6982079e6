package org.gpcrace.result;

import java.util.Map;

/**
 * gpc-pressure's own block: the memory cgroup the child ran in (v1 with oom_kill_disable, or v2
 * memory.high), the limit the child set (its usage with everything mapped plus the headroom),
 * what the rounds showed (rounds with a reader waiting for memory when the reaper started,
 * reap-stalls, chains the watchdog broke by lending memory, eagain give-ups, deferrals), the
 * memory the reaper released, and the first wait chain as the watchdog printed it (null: none).
 */
public record PressureExtra(String cgroup, String cgroupPath, long limitBytes, long headroomBytes, long victimBytes,
        int allocPages, long pressureRounds, long stallRounds, long brokenRounds, long gaveUpRounds, long deferredRounds,
        long releasedBytes, double reapingSeconds, String firstChain, Map<String, Integer> cpus) implements TestExtra {

    public PressureExtra {
        cpus = Map.copyOf(cpus);
    }
}
