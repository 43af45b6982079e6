package org.gpcrace.result;

import java.util.List;
import java.util.Map;

/**
 * The userspace GPC race's own block: what the protocol and the source do, what khva is and
 * where a stale access can land (framesDescription: for anonymous memory khva is the user address
 * itself, since no second mapping of its frame exists), the start-delay range
 * (calibrated on the readers' loop or given), the race-window map (rounds and violations by start
 * delay: where in the readers' loop an invalidation must land for a stale access to get through),
 * where each actor ran, and the errors of failed zaps by errno.
 */
public record GpcExtra(String protocolDescription, String sourceDescription, String framesDescription, DelayRange delayRange,
        List<WindowBucket> raceWindow, List<ActorCpu> placement, boolean distinctCpus, Map<String, Long> zapErrors)
        implements TestExtra {

    /** The invalidator's start delays, ns; {@code readerLoopMedianNs} when calibrated (-1 otherwise). */
    public record DelayRange(long minNs, long maxNs, boolean calibrated, long readerLoopMedianNs) {}

    /** Rounds whose start delay fell in [delayNs, delayNs + widthNs), and how many of them were stale / had a FORBIDDEN outcome. */
    public record WindowBucket(long delayNs, long widthNs, long rounds, long staleRounds, long forbiddenRounds) {
        public double forbiddenRatePct() { return rounds == 0 ? 0 : 100.0 * forbiddenRounds / rounds; }
    }

    /** An actor's planned CPU and the CPU it was seen on (null when not seen). */
    public record ActorCpu(String actor, int pinnedCpu, Integer seenCpu) {}

    public GpcExtra {
        raceWindow = List.copyOf(raceWindow);
        placement = List.copyOf(placement);
        zapErrors = Map.copyOf(zapErrors);
    }
}
