package org.gpcrace.result;

import java.util.Map;

/**
 * fault-in-reader's own block: what the variant does, which RCU implementation and unmap
 * operation ran, whether the cycle detector was on, what the actors did (pages moved, read-side
 * sections, faults the kernel reported, SIGBUS deliveries and retries), the first wait cycle as
 * the watchdog printed it (null when none), and where each actor was pinned (-1: not pinned).
 */
public record FaultReaderExtra(String variantDescription, String rcuImplementation, String unmap, boolean detector,
        long pagesMoved, long sections, long uffdFaults, long sigbus, long retries, long corruptReads,
        String firstCycle, long firstDeadlockBatch, double firstDeadlockMs, Map<String, Integer> cpus) implements TestExtra {

    public FaultReaderExtra {
        cpus = Map.copyOf(cpus);
    }
}
